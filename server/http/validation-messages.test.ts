import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { describeValidation } from './validation-messages.js';

// Compiled as the app compiles route schemas (server/app.ts): verbose, so each error carries its schema and value.
const ajv = new Ajv({ allErrors: false, verbose: true, coerceTypes: 'array', useDefaults: true, strict: false });
addFormats.default(ajv);

const Event = Type.Union([
  Type.Object(
    { type: Type.Literal('filed'), date: Type.String({ format: 'date', title: '立案日期' }) },
    { additionalProperties: false, title: '立案' },
  ),
  Type.Object(
    {
      type: Type.Literal('served'),
      date: Type.String({ format: 'date', title: '送达日期' }),
      method: Type.Union([Type.Literal('direct'), Type.Literal('post')]),
      recipient: Type.Optional(Type.String({ maxLength: 5, title: '受送达人' })),
    },
    { additionalProperties: false, title: '送达' },
  ),
]);
const check = ajv.compile(Event);
const problems = (body: unknown) => {
  expect(check(structuredClone(body))).toBe(false);
  return describeValidation(check.errors as FastifySchemaValidationError[]);
};

describe('a union of objects told apart by their type', () => {
  it('names the field of the branch the request chose, not the union', () => {
    const missing = problems({ type: 'served', date: '2026-12-07' });
    expect(missing.problems).toEqual([expect.objectContaining({ path: '/method', keyword: 'required' })]);
    expect(missing.message).toContain('为必填项');
    const long = problems({ type: 'served', date: '2026-12-07', method: 'post', recipient: '一二三四五六' });
    expect(long.message).toBe('“受送达人”不能超过 5 个字符');
    const badDate = problems({ type: 'filed', date: '7 Dec' });
    expect(badDate.message).toBe('“立案日期”须为有效的日期（如 2026-12-05）');
  });

  it('tells a request that chose no branch which types there are', () => {
    const none = problems({ type: 'archived', date: '2026-12-07' });
    expect(none.problems).toEqual([
      expect.objectContaining({ path: '/type', allowedValues: ['filed', 'served'], keyword: 'discriminator' }),
    ]);
    expect(none.message).toContain('filed（立案）、served（送达）');
  });

  it('still says a union of literals once, with its values', () => {
    const method = problems({ type: 'served', date: '2026-12-07', method: 'fax' });
    expect(method.problems).toHaveLength(1);
    expect(method.problems[0]).toMatchObject({ path: '/method', allowedValues: ['direct', 'post'] });
  });
});
