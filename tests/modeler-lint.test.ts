import { readdirSync, readFileSync } from 'node:fs';
import BpmnModdle from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { validateBpmn } from '../server/definitions/validate.js';
import { ServiceRegistry } from '../server/engine/registry.js';
import { AppError } from '../server/http/errors.js';
import { lintDefinitions, rules } from '../workflows/lint/index.js';
import { moddleOptions } from '../workflows/schema.js';

const FIXTURES = new URL('./fixtures/lint/', import.meta.url);
const WORKFLOWS = new URL('../workflows/', import.meta.url);

interface Case {
  rule: string;
  file: string;
  xml: string;
  /** For invalid fixtures: a part of the message, from the fixture's `<!-- expect: … -->` comment. */
  expected: string | null;
}

function fixtures(): Case[] {
  return Object.keys(rules).flatMap((rule) =>
    readdirSync(new URL(`${rule}/`, FIXTURES))
      .filter((file) => file.endsWith('.bpmn'))
      .map((file) => {
        const xml = readFileSync(new URL(`${rule}/${file}`, FIXTURES), 'utf8');
        return { rule, file, xml, expected: /<!-- expect: (.+?) -->/.exec(xml)?.[1] ?? null };
      }),
  );
}

async function parse(xml: string) {
  const { rootElement, warnings } = await new BpmnModdle(moddleOptions).fromXML(xml, 'bpmn:Definitions');
  expect(warnings).toEqual([]);
  return rootElement;
}

// The review services are registered by the cases capability when the app starts.
const services = [...new ServiceRegistry().names, 'review.recordOpinion', 'review.recordDecision'];
const cases = fixtures();
const valid = cases.filter((c) => c.file.startsWith('valid-'));
const invalid = cases.filter((c) => c.file.startsWith('invalid-'));

describe('each lint rule has fixtures', () => {
  it.each(Object.keys(rules))('%s has a valid and an invalid fixture with an expected message', (rule) => {
    expect(valid.some((c) => c.rule === rule)).toBe(true);
    expect(invalid.filter((c) => c.rule === rule).every((c) => c.expected !== null)).toBe(true);
    expect(invalid.some((c) => c.rule === rule)).toBe(true);
  });
});

describe('lint rules accept their valid fixtures', () => {
  it.each(valid.map((c) => [`${c.rule}/${c.file}`, c] as const))('%s passes every rule and deploys', async (_, c) => {
    expect(await lintDefinitions(await parse(c.xml))).toEqual([]);
    await expect(validateBpmn(c.xml, { maxBytes: 1e6, services })).resolves.toMatchObject({ processKey: 'P' });
  });
});

describe('lint rules report their invalid fixtures', () => {
  it.each(invalid.map((c) => [`${c.rule}/${c.file}`, c] as const))('%s is reported by its rule', async (_, c) => {
    const findings = await lintDefinitions(await parse(c.xml), [c.rule]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.message).join('\n')).toContain(c.expected);
    expect(findings.every((f) => f.rule === c.rule && f.elementId !== null)).toBe(true);
  });

  it.each(invalid.map((c) => [`${c.rule}/${c.file}`, c] as const))(
    '%s is refused at deploy with the same message',
    async (_, c) => {
      const error = await validateBpmn(c.xml, { maxBytes: 1e6, services }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      const problems = ((error as AppError).details as { problems: { message: string }[] }).problems;
      expect(problems.map((p) => p.message).join('\n')).toContain(c.expected);
    },
  );
});

describe('the shipped review processes pass every rule', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.bpmn'));
  it.each(files)('%s', async (file) => {
    const xml = readFileSync(new URL(file, WORKFLOWS), 'utf8');
    expect(await lintDefinitions(await parse(xml))).toEqual([]);
  });
});
