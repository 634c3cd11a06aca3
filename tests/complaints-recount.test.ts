import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountProvisionalComplaints } from '../server/complaints/recount.js';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';

// 2029 has no holiday notice in the data: a complaint's 15 working days are counted Monday–Friday until one is
// loaded, and then counted again (the same as tasks, timers, disclosures and supervision items).
const clock = manualClock('2029-09-20T02:00:00Z');
let t: TestApp;
let legal: TestUser;
let agencyId: string;

/** The 2029 notice as far as it matters here: National Day 1–7 October, Saturday 29 September worked. */
const NOTICE_2029 = 'type,date_or_range,name\nholiday,2029-10-01~2029-10-07,国庆节\nworkday,2029-09-29,国庆节\n';

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  agencyId = (await t.newDepartment({ name: '投诉期限重算测试局' })).id;
  legal = await t.newUser({ departmentId: agencyId, roles: ['legal_admin'] });
});
afterAll(() => t.close());

async function complain(address: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/public/complaints',
    remoteAddress: address,
    payload: {
      departmentId: agencyId,
      about: 'act',
      content: '检查时未出示执法证件。',
      name: '王小明',
      phone: '13912345678',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().number as string;
}

const row = (number: string) =>
  t.db
    .selectFrom('complaints')
    .select(['id', 'due_at', 'due_provisional', 'overdue_at'])
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
const timersOf = (id: string) =>
  t.db
    .selectFrom('timers')
    .select(['id', 'status', 'due_at'])
    .where('execution_id', 'like', `%:${id}`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe('loading a holiday notice recounts the answer deadlines of complaints', () => {
  let pending: string;
  let overdue: string;

  beforeAll(async () => {
    // Received Thursday 20 September: Monday–Friday, the 15th working day after it is Thursday 11 October.
    pending = await complain('10.7.0.1');
    overdue = await complain('10.7.0.2');
    expect(await row(pending)).toMatchObject({ due_at: new Date('2029-10-11T15:59:59Z'), due_provisional: true });
    // The second one's provisional deadline passed unanswered before the notice came: marked overdue.
    clock.set('2029-10-12T01:00:00Z');
    const [timer] = await timersOf((await row(overdue)).id);
    expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    expect((await row(overdue)).overdue_at).not.toBeNull();
    const loaded = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2029',
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: NOTICE_2029,
    });
    expect(loaded.statusCode).toBe(200);
  });

  it('moves the deadline past the holiday, no longer provisional, and moves its timer with it', async () => {
    // 21, 24–28, 29 (worked Saturday) September, then 8 October onwards: the 15th working day is 17 October.
    const c = await row(pending);
    expect(c).toMatchObject({ due_at: new Date('2029-10-17T15:59:59Z'), due_provisional: false });
    const timers = await timersOf(c.id);
    expect(timers.map((x) => x.status)).toEqual(['cancelled', 'pending']);
    expect(timers[1].due_at.toISOString()).toBe('2029-10-17T15:59:59.000Z');
    const listed = (await t.app.inject({ url: '/api/complaints', headers: t.as(legal) })).json();
    const item = listed.items.find((x: { number: string }) => x.number === pending);
    expect(item).toMatchObject({ dueAt: '2029-10-17T15:59:59.000Z', overdue: false });
  });

  it('takes back the overdue mark the early date made, and marks it again only when the new date passes', async () => {
    const c = await row(overdue);
    expect(c.overdue_at).toBeNull();
    const timers = await timersOf(c.id);
    expect(timers.map((x) => x.status)).toEqual(['fired', 'pending']);
    clock.set('2029-10-18T01:00:00Z');
    expect(await fireTimer(t.app.runtime, timers[1].id)).toEqual({ kind: 'fired' });
    expect((await row(overdue)).overdue_at).not.toBeNull();
  });

  it('changes nothing when run again', async () => {
    const before = await timersOf((await row(pending)).id);
    expect(await recountProvisionalComplaints(t.app.complaints)).toBe(0);
    expect(await timersOf((await row(pending)).id)).toEqual(before);
  });
});
