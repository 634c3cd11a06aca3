import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';

const START = '2026-11-25T02:00:00Z';
const clock = manualClock(START);
let t: TestApp;
let agency: { id: string };
let legal: TestUser;
let supervisor: TestUser;
let otherLegal: TestUser;

const FORM = {
  about: 'officer',
  officerName: '张某',
  certificateNumber: '32090012345',
  occurredOn: '2026-11-20',
  content: '执法人员在检查时未出示执法证件，态度恶劣，请予调查处理。',
  name: '王小明',
  phone: '139-1234-5678',
  email: 'wangxm@example.com',
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  agency = await t.newDepartment({ name: '投诉测试市场监督管理局' });
  const other = await t.newDepartment();
  const bureau = await t.newDepartment({ name: '投诉测试司法局' });
  legal = await t.newUser({ departmentId: agency.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
});
afterAll(() => t.close());

async function submit(address: string, payload: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/public/complaints',
    remoteAddress: address,
    payload: { ...FORM, departmentId: agency.id, ...payload },
  });
}

function lookup(number: string, code: string, address = '10.9.0.1') {
  return t.app.inject({
    url: `/api/public/complaints/${number}`,
    headers: { 'x-query-code': code },
    remoteAddress: address,
  });
}

describe('complaints (投诉举报)', () => {
  it('acknowledges a complaint with a number and a query code, routes it to the agency and shows the answer by number', async () => {
    const res = await submit('10.0.0.1');
    expect(res.statusCode).toBe(201);
    const receipt = res.json();
    expect(receipt.number).toMatch(/^TS20261125-[0-9A-Z]{6}$/);
    // 15 working days from Wednesday 25 November: the end of Wednesday 16 December, Beijing time.
    expect(receipt.dueAt).toMatch(/^2026-12-16T15:59:59/);
    expect(res.body).not.toContain('1391234');

    const list = (await t.app.inject({ url: '/api/complaints', headers: t.as(legal) })).json();
    const mine = list.items.find((c: { number: string }) => c.number === receipt.number);
    expect(mine.contact).toEqual({ name: '王小明', phone: '13912345678', email: 'wangxm@example.com' });
    const other = (await t.app.inject({ url: '/api/complaints', headers: t.as(otherLegal) })).json();
    expect(other.items.map((c: { number: string }) => c.number)).not.toContain(receipt.number);

    // The justice bureau sees it, with the contact details masked.
    const seen = (await t.app.inject({ url: `/api/complaints/${mine.id}`, headers: t.as(supervisor) })).json();
    expect(seen.contact).toEqual({ name: '王*', phone: '139****5678', email: 'w***@example.com' });
    expect(JSON.stringify(seen)).not.toContain('12345678');

    const before = await lookup(receipt.number, receipt.queryCode);
    expect(before.json()).toMatchObject({ status: 'received', answer: null });
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${mine.id}/answer`,
      headers: t.as(legal),
      payload: { answer: '经调查，执法人员确有未出示证件的情形，已责令其作出书面检查。' },
    });
    expect(answered.statusCode).toBe(200);
    // By the phone given, as well as by the query code; the public answer carries no contact details.
    const after = await lookup(receipt.number, '13912345678');
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ status: 'answered', answer: expect.stringContaining('书面检查') });
    expect(after.body).not.toMatch(/王小明|1391234|wangxm/);
    const counts = (await t.app.inject({ url: '/api/complaints/counts?year=2026', headers: t.as(supervisor) })).json();
    expect(counts.items.find((c: { departmentId: string }) => c.departmentId === agency.id)).toMatchObject({
      received: 1,
      answered: 1,
      answeredOnTime: 1,
      overdue: 0,
    });
  });

  it('answers a wrong number and a wrong code alike, so numbers cannot be confirmed', async () => {
    const receipt = (await submit('10.0.0.2')).json();
    const wrongCode = await lookup(receipt.number, 'ZZZZZZZZ');
    const wrongNumber = await lookup('TS20261125-AAAAAA', receipt.queryCode);
    const malformed = await lookup('TS1', receipt.queryCode);
    for (const r of [wrongCode, wrongNumber, malformed]) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual(wrongCode.json());
    }
  });

  it('limits submissions per address', async () => {
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await submit('10.0.0.3')).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await submit('10.0.0.3');
    expect(limited.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await submit('10.0.0.4')).statusCode).toBe(201);
  });

  it('flags an unanswered complaint overdue when its deadline timer fires', async () => {
    const receipt = (await submit('10.0.0.5')).json();
    const c = await t.db
      .selectFrom('complaints')
      .select('id')
      .where('number', '=', receipt.number)
      .executeTakeFirstOrThrow();
    const timer = await t.db
      .selectFrom('timers')
      .select(['id', 'due_at'])
      .where('execution_id', '=', `complaint_deadline:${c.id}`)
      .executeTakeFirstOrThrow();
    expect(timer.due_at.toISOString()).toBe(receipt.dueAt);
    expect(await fireTimer(t.app.runtime, timer.id)).toMatchObject({ kind: 'early' });
    clock.set('2026-12-17T01:00:00Z');
    expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    const overdue = (await t.app.inject({ url: '/api/complaints?state=overdue', headers: t.as(legal) })).json();
    expect(overdue.items.find((x: { id: string }) => x.id === c.id)).toMatchObject({ overdue: true });
    clock.set(START);
  });

  it('refuses a form without contact details or for an unknown agency with a 400', async () => {
    const noPhone = await submit('10.0.0.6', { phone: '' });
    expect(noPhone.statusCode).toBe(400);
    const unknown = await submit('10.0.0.6', { departmentId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(400);
  });
});
