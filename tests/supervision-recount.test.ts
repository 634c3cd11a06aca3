import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { recountProvisionalSupervision } from '../server/supervision/recount.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { supervisedCase } from './helpers/supervision.js';

// A supervision item issued on Monday 28 December 2026 for 10 working days runs into 2027, whose holiday notice
// is not loaded: due Monday 11 January counted Monday–Friday. Loading 2027 (元旦 on Friday 1 January) moves it.
const clock = manualClock('2026-12-28T02:00:00Z');
let t: TestApp;
let legal: TestUser;
let supervisor: TestUser;
let caseId: string;

const PROVISIONAL_DUE = '2027-01-11T15:59:59.000Z';
const RECOUNTED_DUE = '2027-01-12T15:59:59.000Z';
const NOTICE_2027 = 'type,date_or_range,name\nholiday,2027-01-01~2027-01-03,元旦\n';

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  ({ legal, supervisor, caseId } = await supervisedCase(t, '重算测试'));
});
afterAll(() => t.close());

async function issue(kind: 'opinion' | 'correction') {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/supervision/opinions',
    headers: t.as(supervisor),
    payload: {
      kind,
      caseId,
      subject: '裁量说理不充分',
      findings: '未说明从轻理由。',
      requirements: '补充说理。',
      workingDays: 10,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; dueAt: string; dueProvisional: boolean };
}
const detail = async (id: string) =>
  (await t.app.inject({ url: `/api/supervision/opinions/${id}`, headers: t.as(legal) })).json();
const timersOf = (id: string) =>
  t.db
    .selectFrom('timers')
    .select(['id', 'status', 'due_at'])
    .where('execution_id', '=', `supervision_deadline:${id}`)
    .orderBy('due_at')
    .execute();
const caseEvents = async (type: string) =>
  (await t.db.selectFrom('case_records').select('body').where('case_id', '=', caseId).orderBy('seq').execute())
    .map((r) => JSON.parse(r.body) as { type: string; payload: Record<string, unknown> })
    .filter((e) => e.type === type);

describe('loading a holiday notice recounts the due dates of supervision items', () => {
  let open: string;
  let flagged: string;
  let answered: string;
  let accepted: string;

  beforeAll(async () => {
    const items = [await issue('opinion'), await issue('correction'), await issue('opinion'), await issue('opinion')];
    for (const item of items) expect(item).toMatchObject({ dueAt: PROVISIONAL_DUE, dueProvisional: true });
    [open, flagged, answered, accepted] = items.map((i) => i.id);
    const answer = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/supervision/opinions/${id}/answer`,
        headers: t.as(legal),
        payload: { answer: '已补充裁量说理。' },
      });
    expect((await answer(accepted)).statusCode).toBe(200);
    const review = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/opinions/${accepted}/review`,
      headers: t.as(supervisor),
      payload: { verdict: 'accepted' },
    });
    expect(review.statusCode).toBe(200);
    // Tuesday 12 January, 09:00 in Beijing: past the provisional due date. One item's timer has flagged it
    // overdue; another was answered that morning, which the provisional date makes late.
    clock.set('2027-01-12T01:00:00Z');
    const [timer] = await timersOf(flagged);
    expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    expect((await detail(flagged)).overdue).toBe(true);
    expect((await answer(answered)).statusCode).toBe(200);
    expect((await detail(answered)).overdue).toBe(true);

    const loaded = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2027',
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: NOTICE_2027,
    });
    expect(loaded.statusCode, loaded.body).toBe(200);
  });

  it('moves the due date past the holiday, no longer provisional, and moves the timer with it', async () => {
    expect(await detail(open)).toMatchObject({ dueAt: RECOUNTED_DUE, dueProvisional: false, overdue: false });
    const timers = await timersOf(open);
    expect(timers.map((x) => [x.status, x.due_at.toISOString()])).toEqual([
      ['cancelled', PROVISIONAL_DUE],
      ['pending', RECOUNTED_DUE],
    ]);
    // The new timer fires at the recounted date, not before.
    const pending = timers.find((x) => x.status === 'pending')!;
    expect(await fireTimer(t.app.runtime, pending.id)).toMatchObject({ kind: 'early' });
  });

  it('takes back an overdue mark the provisional date made, and times the item again', async () => {
    expect(await detail(flagged)).toMatchObject({ dueAt: RECOUNTED_DUE, overdue: false });
    const overdueList = (
      await t.app.inject({ url: '/api/supervision/opinions?state=overdue', headers: t.as(legal) })
    ).json();
    expect(overdueList.items.map((i: { id: string }) => i.id)).not.toContain(flagged);
    const timers = await timersOf(flagged);
    expect(timers.filter((x) => x.status === 'pending').map((x) => x.due_at.toISOString())).toEqual([RECOUNTED_DUE]);
  });

  it('judges an answer given before the recounted date to be in time', async () => {
    expect(await detail(answered)).toMatchObject({ dueAt: RECOUNTED_DUE, status: 'answered', overdue: false });
  });

  it('recounts an accepted item without timing it again', async () => {
    expect(await detail(accepted)).toMatchObject({ dueAt: RECOUNTED_DUE, status: 'accepted' });
    expect((await timersOf(accepted)).map((x) => x.status)).toEqual(['cancelled']);
  });

  it("writes the change into the case's record", async () => {
    const events = await caseEvents('supervision.due_recounted');
    expect(events).toHaveLength(4);
    expect(events.find((e) => e.payload.supervisionId === flagged)?.payload).toMatchObject({
      from: PROVISIONAL_DUE,
      to: RECOUNTED_DUE,
      provisional: false,
      overdueWithdrawn: expect.any(String),
    });
    const verify = await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(legal) });
    expect(verify.json().ok, verify.body).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const before = await timersOf(open);
    expect(await recountProvisionalSupervision(t.app.supervision)).toBe(0);
    expect(await timersOf(open)).toEqual(before);
    expect(await caseEvents('supervision.due_recounted')).toHaveLength(4);
  });

  it('still flags an item left unanswered past the recounted date', async () => {
    clock.set('2027-01-13T01:00:00Z');
    const pending = (await timersOf(open)).find((x) => x.status === 'pending')!;
    expect(await fireTimer(t.app.runtime, pending.id)).toEqual({ kind: 'fired' });
    expect((await detail(open)).overdue).toBe(true);
  });
});
