import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { recountWorkingDayTimers } from '../server/engine/working-day-timers.js';
import { timerJobId } from '../server/jobs/catalogue.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { type CommandResult, complete, deploy, fixture, startInstance } from './helpers/flows.js';

// 2029 has no holiday notice in the data: a `P3WD` timer running into it is counted Monday–Friday.
const clock = manualClock('2029-09-28T10:00:00+08:00'); // a Friday
let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await fixture('working-day-timer-parallel.bpmn'));
});
afterAll(() => t.close());

/** The 2029 notice as far as it matters here: National Day 1–7 October, Saturday 29 September worked. */
const NOTICE_2029 = 'type,date_or_range,name\nholiday,2029-10-01~2029-10-07,国庆节\nworkday,2029-09-29,国庆节\n';
const OLD_DUE = new Date('2029-10-03T23:59:59+08:00'); // Mon–Fri: 1, 2, 3 October
const NEW_DUE = new Date('2029-10-09T23:59:59+08:00'); // 29 September (worked), 8, 9 October

const timerOf = (instanceId: string) =>
  t.db
    .selectFrom('timers')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('element_id', '=', 'Timer_complete')
    .executeTakeFirstOrThrow();
const tasksOf = (instanceId: string) =>
  t.db
    .selectFrom('tasks')
    .select(['id', 'element_id', 'status', 'due_at'])
    .where('instance_id', '=', instanceId)
    .orderBy('element_id')
    .execute();
const historyOf = async (instanceId: string) =>
  (
    await t.db
      .selectFrom('instance_events')
      .select(['type', 'payload'])
      .where('instance_id', '=', instanceId)
      .orderBy('id')
      .execute()
  ).map((e) => ({ type: e.type, payload: e.payload as Record<string, unknown> }));
const jobOf = (timerId: string) => t.queues.queue('timers').getJob(timerJobId(timerId));

describe('a P3WD boundary timer counted into a year without a holiday notice', () => {
  let instanceId: string;
  let timerId: string;

  beforeAll(async () => {
    const s: CommandResult = (await startInstance(t, officer, 'wd_timer_parallel')).json();
    instanceId = s.instanceId;
    timerId = (await timerOf(instanceId)).id;
  });

  it('is provisional, and remembers what it was counted from', async () => {
    const timer = await timerOf(instanceId);
    expect(timer).toMatchObject({
      status: 'pending',
      working_days: 3,
      basis_date: '2029-09-28',
      due_provisional: true,
    });
    expect(Math.abs(timer.due_at.getTime() - OLD_DUE.getTime())).toBeLessThan(1000);
    const task = (await tasksOf(instanceId)).find((x) => x.element_id === 'Task_complete');
    expect(task?.due_at?.getTime()).toBe(timer.due_at.getTime());
    expect((await jobOf(timerId))?.delay).toBe(timer.due_at.getTime() - clock.now().getTime());
  });

  it('moves with its job, its task and the engine when the notice is loaded', async () => {
    const before = await t.db
      .selectFrom('process_instances')
      .select('version')
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    const loaded = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2029',
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: NOTICE_2029,
    });
    expect(loaded.statusCode).toBe(200);
    const timer = await timerOf(instanceId);
    expect(timer).toMatchObject({ status: 'pending', due_provisional: false, due_at: NEW_DUE });
    // The delayed job with the timer's id was replaced, not left at the old time.
    const job = await jobOf(timerId);
    expect(job?.delay).toBe(NEW_DUE.getTime() - clock.now().getTime());
    expect(await job?.getState()).toBe('delayed');
    const task = (await tasksOf(instanceId)).find((x) => x.element_id === 'Task_complete');
    expect(task?.due_at).toEqual(NEW_DUE);
    const recomputed = (await historyOf(instanceId)).filter((e) => e.type === 'timer.recomputed');
    expect(recomputed).toHaveLength(1);
    expect(recomputed[0].payload).toMatchObject({ timerId, to: NEW_DUE.toISOString(), provisional: false });
    expect(new Date(String(recomputed[0].payload.from)).getTime() - OLD_DUE.getTime()).toBeLessThan(1000);
    const after = await t.db
      .selectFrom('process_instances')
      .select(['version', 'state'])
      .where('id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(after.version).toBe(before.version + 1);
    expect(JSON.stringify(after.state)).toContain(`"expireAt":"${NEW_DUE.toISOString()}"`);
  });

  it('changes nothing when counted again', async () => {
    const timer = await timerOf(instanceId);
    expect(await recountWorkingDayTimers(t.app.runtime)).toBe(0);
    expect(await timerOf(instanceId)).toEqual(timer);
    expect((await historyOf(instanceId)).filter((e) => e.type === 'timer.recomputed')).toHaveLength(1);
  });

  it('does not fire at the old due time, neither by its old job nor when the engine is recovered', async () => {
    clock.set('2029-10-05T10:00:00+08:00');
    expect(await fireTimer(t.app.runtime, timerId)).toEqual({ kind: 'early', dueAt: NEW_DUE });
    const other = (await tasksOf(instanceId)).find((x) => x.element_id === 'Task_other')!;
    const res = await complete(t, officer, other.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Task_complete']);
    expect(await timerOf(instanceId)).toMatchObject({ status: 'pending', due_at: NEW_DUE });
    expect((await historyOf(instanceId)).map((e) => e.type)).not.toContain('timer.fired');
  });

  it('fires at the new due time, and the flow moves on', async () => {
    clock.set('2029-10-10T00:00:05+08:00');
    expect(await fireTimer(t.app.runtime, timerId)).toEqual({ kind: 'fired' });
    expect(await timerOf(instanceId)).toMatchObject({ status: 'fired' });
    const tasks = await tasksOf(instanceId);
    expect(tasks.map((x) => [x.element_id, x.status])).toEqual([
      ['Task_complete', 'cancelled'],
      ['Task_late', 'open'],
      ['Task_other', 'completed'],
    ]);
  });
});

describe('a P3WD timer counted within loaded years', () => {
  it('is not provisional, and a recount leaves it alone', async () => {
    clock.set('2029-10-10T10:00:00+08:00'); // Wednesday: 11, 12, 15 October
    const s: CommandResult = (await startInstance(t, officer, 'wd_timer_parallel')).json();
    const timer = await timerOf(s.instanceId);
    expect(timer).toMatchObject({ working_days: 3, basis_date: '2029-10-10', due_provisional: false });
    expect(Math.abs(timer.due_at.getTime() - new Date('2029-10-15T23:59:59+08:00').getTime())).toBeLessThan(1000);
    expect(await recountWorkingDayTimers(t.app.runtime)).toBe(0);
    expect(await timerOf(s.instanceId)).toEqual(timer);
  });
});
