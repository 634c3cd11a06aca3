import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { FACTS, packet } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const submit = (p: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as(officer), payload: p });

async function incidents() {
  const res = await t.app.inject({ url: '/api/incidents', headers: t.as(legal) });
  return res.json().items.length as number;
}

describe('text no database or document can hold is refused at the door, naming the field', () => {
  it.each([
    ['a NUL in the case title', { title: '某某案\u0000' }, 'U+0000', 'body.packet.title'],
    ['a lone surrogate in the case title', { title: '某某案\ud800' }, 'U+D800', 'body.packet.title'],
    ['a NUL in 认定的事实', { factsFound: '经查\u0000属实' }, 'U+0000', 'body.packet.factsFound'],
    ['a control character in a party’s name', { party: { ...packet().party, name: 'A\u0007' } }, 'U+0007', 'name'],
  ])('%s answers 400, not 500, and leaves no failed instance', async (_name, overrides, codePoint, field) => {
    const before = await incidents();
    const res = await submit({ packet: packet(overrides), facts: FACTS });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(codePoint);
    expect(error.details.field).toContain(field);
    expect(JSON.stringify(error)).not.toMatch(/Unicode escape|invalid byte sequence|SQLSTATE/);
    expect(await incidents()).toBe(before);
  });

  it('keeps tabs, line breaks and characters outside the BMP', async () => {
    const res = await submit({ packet: packet({ factsFound: '经查：\n\t一、𠀀字号属实。\r\n' }), facts: FACTS });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a NUL in an object key and in a query string', async () => {
    const key = await submit({ packet: packet(), facts: { ...FACTS, 'a\u0000': 1 } });
    expect(key.statusCode).toBe(400);
    const query = await t.app.inject({ url: '/api/cases?q=%00', headers: t.as(officer) });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details.field).toBe('query.q');
  });

  it('refuses a NUL in a form page post with the error page, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=a%00&password=b',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('a BPMN upload must be UTF-8 text', () => {
  const upload = (body: Buffer | string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...t.as(legal), 'content-type': 'application/xml' },
      payload: body,
    });

  it('refuses a NUL in a name with 400', async () => {
    const xml = (await workflowFile('legal-review.bpmn')).replace('name="', 'name="\u0000');
    const res = await upload(xml);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('U+0000');
  });

  /** The shipped flow with an unsupported element added, so that the refusal has an element problem to list. */
  async function withScriptTask(): Promise<string> {
    const xml = await workflowFile('legal-review.bpmn');
    return xml.replace(/(<bpmn:process\b[^>]*>)/, '$1<bpmn:scriptTask id="Bad" />');
  }

  it('refuses bytes that are not UTF-8 instead of deploying U+FFFD, and still lists the other problems', async () => {
    const bytes = Buffer.from((await withScriptTask()).replace('受理审查', 'ABCDEF'), 'utf8');
    bytes[bytes.indexOf('ABCDEF')] = 0xe9; // é in ISO-8859-1, a broken sequence in UTF-8
    const res = await upload(bytes);
    expect(res.statusCode).toBe(400);
    const messages = res.json().error.details.problems.map((p: { message: string }) => p.message);
    expect(messages.some((m: string) => m.includes('UTF-8') && m.includes('行'))).toBe(true);
    expect(messages.some((m: string) => m.includes('Bad'))).toBe(true);
  });

  it('refuses a document that declares another encoding, listing that with the element problems', async () => {
    const xml = (await withScriptTask())
      .replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>')
      .replace(/[^ -~\s]/g, 'e')
      .replace('name="', 'name="Caf\u00e9 ');
    const res = await upload(Buffer.from(xml, 'latin1'));
    expect(res.statusCode).toBe(400);
    const messages = res.json().error.details.problems.map((p: { message: string }) => p.message);
    expect(messages.some((m: string) => m.includes('ISO-8859-1'))).toBe(true);
    expect(messages.some((m: string) => m.includes('Bad'))).toBe(true);
  });
});
