import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { timerJobId } from '../server/jobs/catalogue.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { type CommandResult, complete, deploy, fixture, startInstance } from './helpers/flows.js';

// Deadlines are counted in Chinese working days from the 2026 State Council notice: 10/1–10/8 is the
// National Day + Mid-Autumn holiday, Saturday 10/10 a make-up working day.
const clock = manualClock('2026-09-30T10:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await fixture('review-deadline.bpmn'));
});
afterAll(() => t.close());

async function newReview(at: string) {
  clock.set(at);
  const s: CommandResult = (await startInstance(t, officer, 'review_deadline')).json();
  return { instanceId: s.instanceId, taskId: s.openTasks[0].id };
}

async function task(user: TestUser, taskId: string, query = '') {
  const res = await t.app.inject({ url: `/api/tasks?status=open${query}`, headers: t.as(user) });
  return res.json().items.find((x: { id: string }) => x.id === taskId);
}

const timersOf = (taskId: string) =>
  t.db
    .selectFrom('timers')
    .select(['id', 'kind', 'due_at', 'status'])
    .where('task_id', '=', taskId)
    .orderBy('created_at')
    .execute();

describe('a user task with a deadline in working days', () => {
  it('falls due at the end of the fifth working day, skipping the National Day holiday', async () => {
    const { taskId } = await newReview('2026-09-30T10:00:00+08:00');
    const row = await task(reviewer, taskId);
    expect(row.dueAt).toBe(new Date('2026-10-13T23:59:59+08:00').toISOString());
    expect(row).toMatchObject({ deadlineState: 'normal', remainingWorkingDays: 5, dueProvisional: false });
    const timers = await timersOf(taskId);
    expect(timers.map((x) => [x.kind, x.status])).toEqual([
      ['task_deadline', 'pending'],
      ['task_reminder', 'pending'],
    ]);
    // the reminder leaves one working day: end of the fourth working day (Monday 10/12)
    expect(timers[1].due_at.toISOString()).toBe(new Date('2026-10-12T23:59:59+08:00').toISOString());
  });

  it('turns yellow with one working day left and red once overdue, and the list filters on it', async () => {
    const { taskId } = await newReview('2026-09-30T10:00:00+08:00');
    clock.set('2026-10-12T09:00:00+08:00');
    expect(await task(reviewer, taskId)).toMatchObject({ deadlineState: 'due_soon', remainingWorkingDays: 1 });
    expect(await task(reviewer, taskId, '&deadlineState=due_soon')).toBeDefined();
    expect(await task(reviewer, taskId, '&deadlineState=overdue')).toBeUndefined();
    clock.set('2026-10-14T09:00:00+08:00');
    expect(await task(reviewer, taskId)).toMatchObject({ deadlineState: 'overdue' });
    expect(await task(reviewer, taskId, '&deadlineState=overdue')).toBeDefined();
  });

  it('reminds, then escalates to the legal unit when the deadline passes', async () => {
    const { instanceId, taskId } = await newReview('2026-09-30T10:00:00+08:00');
    const [deadline, reminder] = await timersOf(taskId);
    expect(await fireTimer(t.app.runtime, reminder.id)).toEqual({ kind: 'early', dueAt: reminder.due_at });
    clock.set('2026-10-13T00:00:05+08:00');
    expect(await fireTimer(t.app.runtime, reminder.id)).toEqual({ kind: 'fired' });
    expect(await task(legal, taskId)).toBeUndefined();
    clock.set('2026-10-14T00:00:05+08:00');
    expect(await fireTimer(t.app.runtime, deadline.id)).toEqual({ kind: 'fired' });
    expect(await fireTimer(t.app.runtime, deadline.id)).toEqual({ kind: 'stale', reason: 'fired' });
    expect(await task(legal, taskId)).toMatchObject({ escalatedTo: 'legal_admin', deadlineState: 'overdue' });
    const history = (await t.app.inject({ url: `/api/instances/${instanceId}`, headers: t.as(legal) })).json().history;
    expect(history.map((h: { type: string }) => h.type)).toEqual(
      expect.arrayContaining(['task.reminder', 'task.overdue']),
    );
  });

  it('moves by the approved number of working days when an extension is granted', async () => {
    const { taskId } = await newReview('2026-09-30T10:00:00+08:00');
    const asked = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${taskId}/extensions`,
      headers: t.as(reviewer),
      payload: { workingDays: 3, reason: '案情复杂，需补充调查' },
    });
    expect(asked.statusCode).toBe(201);
    const byReviewer = await t.app.inject({
      method: 'POST',
      url: `/api/extensions/${asked.json().id}/decision`,
      headers: t.as(reviewer),
      payload: { approved: true },
    });
    expect(byReviewer.statusCode).toBe(403);
    const decided = await t.app.inject({
      method: 'POST',
      url: `/api/extensions/${asked.json().id}/decision`,
      headers: t.as(chief),
      payload: { approved: true, note: '同意延期' },
    });
    expect(decided.json()).toEqual({ status: 'approved', dueAt: new Date('2026-10-16T23:59:59+08:00').toISOString() });
    const timers = await timersOf(taskId);
    expect(timers.filter((x) => x.status === 'pending').map((x) => x.due_at.toISOString())).toEqual([
      new Date('2026-10-16T23:59:59+08:00').toISOString(),
      new Date('2026-10-15T23:59:59+08:00').toISOString(),
    ]);
    expect(timers.filter((x) => x.status === 'cancelled')).toHaveLength(2);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${taskId}/extensions`,
      headers: t.as(reviewer),
      payload: { workingDays: 2, reason: '仍需补充调查' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已经延长过一次');
  });

  it('cancels its reminder and deadline when completed, and removes their jobs', async () => {
    const { taskId } = await newReview('2026-09-30T10:00:00+08:00');
    const before = await timersOf(taskId);
    const job = (id: string) => t.queues.queue('timers').getJob(timerJobId(id));
    expect(await job(before[0].id)).toBeDefined();
    const done = await complete(t, reviewer, taskId);
    expect(done.statusCode).toBe(200);
    expect((await timersOf(taskId)).map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    for (const x of before) expect(await job(x.id)).toBeUndefined();
  });

  it('keeps the remaining working days while paused and counts them again from the resume', async () => {
    const { taskId } = await newReview('2026-09-30T10:00:00+08:00');
    clock.set('2026-10-09T15:00:00+08:00'); // left after 10/9: 10/10 (make-up), 10/12, 10/13
    const paused = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${taskId}/clock`,
      headers: t.as(reviewer),
      payload: { action: 'pause', reason: '退回补正' },
    });
    expect(paused.json()).toEqual({ paused: true, dueAt: null, remainingAtPause: 3 });
    expect(await task(reviewer, taskId)).toMatchObject({ deadlineState: 'paused' });
    expect((await timersOf(taskId)).filter((x) => x.status === 'pending')).toEqual([]);
    clock.set('2026-10-20T11:00:00+08:00');
    const resumed = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${taskId}/clock`,
      headers: t.as(reviewer),
      payload: { action: 'resume', reason: '补正材料已收到' },
    });
    expect(resumed.json().dueAt).toBe(new Date('2026-10-23T23:59:59+08:00').toISOString());
  });

  it('counts "N日" as calendar days when the model says so', async () => {
    const { taskId } = await newReview('2026-09-30T10:00:00+08:00');
    const r = await complete(t, reviewer, taskId);
    const decide = r.json().openTasks[0].id;
    expect((await task(chief, decide)).dueAt).toBe(new Date('2026-10-03T23:59:59+08:00').toISOString());
  });
});

describe('a deadline that runs into a year without a holiday schedule', () => {
  it('is provisional, and is counted again when that year is loaded', async () => {
    await t.db.deleteFrom('calendar_years').where('year', '=', 2027).execute();
    const { instanceId, taskId } = await newReview('2026-12-29T10:00:00+08:00');
    // Mon–Fri: 12/30, 12/31, 1/1, 1/4, 1/5
    expect(await task(reviewer, taskId)).toMatchObject({
      dueProvisional: true,
      dueAt: new Date('2027-01-05T23:59:59+08:00').toISOString(),
    });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2027',
      headers: t.as(legal),
      payload: { holidays: [{ from: '2027-01-01', to: '2027-01-03', name: '元旦' }], makeupWorkdays: [] },
    });
    expect(put.statusCode).toBe(200);
    const after = await task(reviewer, taskId);
    expect(after).toMatchObject({ dueProvisional: false, dueAt: new Date('2027-01-06T23:59:59+08:00').toISOString() });
    const history = (await t.app.inject({ url: `/api/instances/${instanceId}`, headers: t.as(legal) })).json().history;
    expect(history.find((h: { type: string }) => h.type === 'deadline.recomputed')).toBeDefined();
  });
});
