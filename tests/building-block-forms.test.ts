import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FORMS } from '../modeler/templates/forms.js';
import { OPTIONAL_POINTS, REVIEW_POINTS } from '../server/cases/review-points.js';
import { pointFields } from '../server/cases/review-rules.js';
import { workflowFile } from './helpers/flows.js';

// The modeler's building blocks ask what the same step of the shipped process asks, so a flow a legal unit builds
// from them gives the step's services and documents what they read, and asks no point of the law under other words
// or with other answers than the opinion states.
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

/** A field as the BPMN writes it: every attribute as text (options joined by commas), absent ones left out. */
function asWritten(f: object) {
  const field = f as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const k of ['name', 'label', 'type', 'options', 'maxLength']) {
    const v = field[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  out.required = String(field.required === true || field.required === 'true');
  return out;
}

/** The fashen:* attributes of the shipped step, but its limits in days: each department sets its own. */
const OWN_CHOICE = ['fashen:deadlineWorkingDays', 'fashen:reminderWorkingDays'];

async function shippedSteps() {
  const xml = await workflowFile('legal-review.bpmn');
  const steps = new Map<string, Record<string, string>[]>();
  const attributes = new Map<string, Record<string, string>>();
  for (const [task] of xml.matchAll(/<bpmn:userTask [\s\S]*?<\/bpmn:userTask>/g)) {
    const open = task.slice(0, task.indexOf('>'));
    const step = attr(open, 'fashen:step');
    if (!step) continue;
    const fields = [...task.matchAll(/<fashen:formField [^>]*\/>/g)].map(([tag]) =>
      asWritten({
        name: attr(tag, 'name'),
        label: attr(tag, 'label'),
        type: attr(tag, 'type'),
        options: attr(tag, 'options'),
        maxLength: attr(tag, 'maxLength'),
        required: attr(tag, 'required'),
      }),
    );
    steps.set(step, fields);
    const set = [...open.matchAll(/(fashen:\w+)="([^"]*)"/g)].filter(([, k]) => !OWN_CHOICE.includes(k));
    attributes.set(step, Object.fromEntries(set.map(([, k, v]) => [k, v])));
  }
  return { steps, attributes };
}

const lawPoints = REVIEW_POINTS.filter((p) => !OPTIONAL_POINTS.includes(p.key));
/** The fields the server's rules add to a step beyond its BPMN (cases/review-rules.ts). */
const added = (step: string) => (['review', 'rereview'].includes(step) ? pointFields(lawPoints).map(asWritten) : []);

describe('the modeler’s building blocks', async () => {
  const templates = JSON.parse(
    await readFile(new URL('../modeler/templates/fashen-templates.json', import.meta.url), 'utf8'),
  );
  const { steps, attributes } = await shippedSteps();
  const blocks = (templates as { id: string; properties: { value?: string; binding?: { name?: string } }[] }[])
    .filter((t) => TEMPLATE_FORMS[t.id])
    .map((t) => ({
      id: t.id,
      step: t.properties.find((p) => p.binding?.name === 'fashen:step')?.value ?? '',
      // What the block sets on the task, but the document it issues (the shipped process issues from its services)
      // and the limits in days.
      sets: Object.fromEntries(
        t.properties
          .filter(
            (p) =>
              p.binding?.name?.startsWith('fashen:') &&
              p.binding.name !== 'fashen:documentTemplate' &&
              !OWN_CHOICE.includes(p.binding.name),
          )
          .map((p) => [p.binding?.name, p.value]),
      ),
    }));

  it.each(blocks)(
    '$id gives the task the role, assignee, escalation and limit source of the shipped step',
    ({ step, sets }) => {
      expect(sets).toEqual(attributes.get(step));
    },
  );

  it('exist for acceptance, review, correction, re-review, coordination and the chief’s decision', () => {
    expect(blocks.map((b) => b.step).sort()).toEqual(
      ['accept', 'chief_decision', 'coordinate', 'correct', 'rereview', 'review'].sort(),
    );
  });

  it.each(blocks)('$id asks every field the shipped step declares, as it declares it', ({ id, step }) => {
    const declared = steps.get(step) ?? [];
    const block = TEMPLATE_FORMS[id].map(asWritten);
    expect(declared.length).toBeGreaterThan(0);
    for (const field of declared) expect(block).toContainEqual(field);
    // Anything more is a field the rules add to that step anyway, asked as they ask it.
    for (const field of block.filter((f) => !declared.some((d) => d.name === f.name))) {
      expect(added(step)).toContainEqual(field);
    }
  });

  it.each(blocks.filter((b) => ['review', 'rereview'].includes(b.step)))(
    '$id asks all ten points of the law',
    ({ id }) => {
      const names = TEMPLATE_FORMS[id].map((f) => f.name);
      for (const p of lawPoints) expect(names).toEqual(expect.arrayContaining([`finding_${p.key}`, `note_${p.key}`]));
    },
  );
});
