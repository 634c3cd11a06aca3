import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService } from '../server/calendar/service.js';
import { fireTimer } from '../server/engine/instances.js';
import { recountProvisionalDisclosures } from '../server/publicity/disclosures/recount.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { directDecision } from './helpers/review.js';

// 2029 has no holiday notice in the data: its deadlines are counted Monday–Friday until one is loaded.
const clock = manualClock('2029-09-27T02:00:00Z');
let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const dept = await t.newDepartment({ name: '公示期限重算测试局' });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

/** A coercion outside the catalogue decided on Thursday 2029-09-27: 20 working days to disclose it. */
async function decidedCoercion(number: string) {
  const caseId = await directDecision(t, officer, { number, date: '2029-09-27' });
  const list = (await t.app.inject({ url: '/api/disclosures?limit=200', headers: t.as(legal) })).json();
  return list.items.find((d: { caseId: string }) => d.caseId === caseId).id as string;
}

const detail = async (id: string) =>
  (await t.app.inject({ url: `/api/disclosures/${id}`, headers: t.as(legal) })).json();
const timersOf = (id: string) =>
  t.db
    .selectFrom('timers')
    .select(['id', 'kind', 'status', 'due_at'])
    .where('execution_id', 'like', `%:${id}`)
    .orderBy('id')
    .execute();

/** The 2029 notice as far as it matters here: National Day 1–7 October, Saturday 29 September worked. */
const NOTICE_2029 = 'type,date_or_range,name\nholiday,2029-10-01~2029-10-07,国庆节\nworkday,2029-09-29,国庆节\n';

describe('loading a holiday notice recounts the deadlines of pending disclosures', () => {
  let pending: string;
  let overdue: string;

  beforeAll(async () => {
    pending = await decidedCoercion('市监强〔2029〕1号');
    overdue = await decidedCoercion('市监强〔2029〕2号');
    // Monday–Friday: 20 working days after 27 September is Thursday 25 October.
    expect(await detail(pending)).toMatchObject({ dueAt: '2029-10-25T15:59:59.000Z', dueProvisional: true });
    // The second one's reminder went out and its provisional deadline passed before the notice came.
    clock.set('2029-10-26T01:00:00Z');
    for (const timer of await timersOf(overdue)) {
      expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    }
    expect((await detail(overdue)).state).toBe('overdue');
    const loaded = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2029',
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: NOTICE_2029,
    });
    expect(loaded.statusCode).toBe(200);
  });

  it('moves the deadline past the holiday, no longer provisional, and moves its timers with it', async () => {
    const d = await detail(pending);
    // 28, 29 (worked Saturday) September, then 8 October onwards: the 20th working day is 31 October.
    expect(d).toMatchObject({ dueAt: '2029-10-31T15:59:59.000Z', dueProvisional: false });
    const timers = await timersOf(pending);
    expect(timers.filter((x) => x.status === 'pending').map((x) => x.kind)).toEqual(
      expect.arrayContaining(['disclosure_deadline', 'disclosure_reminder']),
    );
    expect(timers.find((x) => x.status === 'pending' && x.kind === 'disclosure_deadline')?.due_at.toISOString()).toBe(
      '2029-10-31T15:59:59.000Z',
    );
    expect(timers.filter((x) => x.status === 'cancelled')).toHaveLength(2);
    const recount = d.events.find((e: { type: string }) => e.type === 'disclosure.due_recounted');
    expect(recount.payload).toMatchObject({ from: '2029-10-25T15:59:59.000Z', to: '2029-10-31T15:59:59.000Z' });
  });

  it('takes back an overdue mark the recounted deadline no longer supports, without reminding twice', async () => {
    const d = await detail(overdue);
    expect(d.state).not.toBe('overdue');
    expect(d.dueAt).toBe('2029-10-31T15:59:59.000Z');
    const open = (await timersOf(overdue)).filter((x) => x.status === 'pending');
    expect(open.map((x) => x.kind)).toEqual(['disclosure_deadline']);
  });

  it('changes nothing when run again', async () => {
    const before = await timersOf(pending);
    expect(await recountProvisionalDisclosures(t.app.publicity)).toBe(0);
    expect(await timersOf(pending)).toEqual(before);
  });
});

describe('a process that did not load the year itself (a worker)', () => {
  it('finds the new notice on refresh, tells its listeners once, and then nothing more', async () => {
    const worker = new CalendarService();
    await worker.loadCalendar(t.db);
    const heard: number[] = [];
    worker.onYearLoaded((year) => {
      heard.push(year);
    });
    expect(await worker.refresh(t.db)).toEqual([]);
    const loaded = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2030',
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: 'type,date_or_range,name\nholiday,2030-10-01~2030-10-07,国庆节\n',
    });
    expect(loaded.statusCode).toBe(200);
    expect(await worker.refresh(t.db)).toEqual([2030]);
    expect(heard).toEqual([2030]);
    expect(worker.current.isLoaded(2030)).toBe(true);
    expect(await worker.refresh(t.db)).toEqual([]);
    expect(heard).toEqual([2030]);
  });
});
