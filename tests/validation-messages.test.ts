import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_LABELS } from '../server/http/field-labels.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { FACTS, packet } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
});
afterAll(() => t.close());

const submit = (p: Record<string, unknown>, facts: object = FACTS) =>
  t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as(officer), payload: { packet: packet(p), facts } });

async function refusal(res: {
  statusCode: number;
  json(): { error: { code: string; message: string; details: unknown } };
}) {
  expect(res.statusCode).toBe(400);
  const { error } = res.json();
  expect(error.code).toBe('VALIDATION_FAILED');
  return error as { message: string; details: { in: string; path: string; keyword: string; field: string }[] };
}

describe('a request the schema refuses is answered in Chinese, one message per field', () => {
  it('names a missing required field by its label', async () => {
    const error = await refusal(await submit({ title: undefined }));
    expect(error.message).toBe('“案件名称”为必填项');
    expect(error.details).toEqual([
      { in: 'body', path: '/packet/title', keyword: 'required', field: '“案件名称”', message: '“案件名称”为必填项' },
    ]);
  });

  it('says a field of the wrong type must be of the right one', async () => {
    const error = await refusal(await submit({ hearingHeld: 'maybe' }));
    expect(error.message).toBe('“是否经过听证”须为是或否（true/false）');
  });

  it('lists a union’s values once, by their Chinese names, and keeps the codes in details', async () => {
    const error = await refusal(await submit({ category: 'fine' }));
    expect(error.message).toBe('“决定类别”须为以下之一：行政许可、行政处罚、行政强制、行政征收征用');
    expect(error.details).toHaveLength(1);
    expect(error.details[0]).toMatchObject({
      path: '/packet/category',
      keyword: 'anyOf',
      allowedValues: ['licensing', 'penalty', 'coercion', 'levy'],
    });
    expect(error.message).not.toMatch(/must|constant/);
  });

  it('says so when a query parameter’s value is not one of the allowed', async () => {
    const error = await refusal(await t.app.inject({ url: '/api/cases?category=x', headers: t.as(officer) }));
    expect(error.message).toBe('查询参数有误：“类别”须为以下之一：行政许可、行政处罚、行政强制、行政征收征用');
  });

  it('gives the limit of a text that is too long and the item of a list it is in', async () => {
    const long = await refusal(await submit({ title: '案'.repeat(201) }));
    expect(long.message).toBe('“案件名称”不能超过 200 个字符');
    const item = await refusal(await submit({ evidence: [{ name: '笔录' }, { name: '' }] }));
    expect(item.message).toBe('“证据名称”（第 2 项）不能为空');
  });

  it('names the expected format of an identifier or a date', async () => {
    const id = await refusal(await t.app.inject({ url: '/api/cases/abc', headers: t.as(officer) }));
    expect(id.message).toBe('路径参数有误：“标识”须为有效的标识（UUID）');
    const day = await refusal(
      await t.app.inject({ url: '/api/calendar/workdays?from=2026-13-45&days=3', headers: t.as(officer) }),
    );
    expect(day.message).toContain('“起始日期”须为有效的日期');
  });

  it('refuses an unknown field by its name', async () => {
    const error = await refusal(await submit({ colour: 'red' }));
    expect(error.message).toBe('不接受字段“colour”（在“送审材料”中）');
  });
});

describe('every field of every API operation has a Chinese name', () => {
  it('in the label map or its schema’s title', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    const unnamed = new Set<string>();
    const walk = (s: Record<string, unknown> | undefined) => {
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!FIELD_LABELS[k] && typeof v.title !== 'string') unnamed.add(k);
        walk(v);
      }
      for (const key of ['items', 'additionalProperties']) walk(s[key] as Record<string, unknown>);
      for (const key of ['anyOf', 'oneOf', 'allOf']) for (const b of (s[key] ?? []) as []) walk(b);
    };
    for (const ops of Object.values(doc.paths) as Record<string, Record<string, unknown>>[]) {
      for (const op of Object.values(ops)) {
        for (const p of (op.parameters ?? []) as { name: string }[]) if (!FIELD_LABELS[p.name]) unnamed.add(p.name);
        const content = (op.requestBody as { content?: Record<string, { schema: Record<string, unknown> }> })?.content;
        for (const c of Object.values(content ?? {})) walk(c.schema);
      }
    }
    expect([...unnamed]).toEqual([]);
  });
});
