import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleTimerJob, reconcileTimers } from '../server/engine/timer-jobs.js';
import { timerJobId } from '../server/jobs/catalogue.js';
import { startWorkers, type WorkerPool } from '../server/jobs/worker.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { type CommandResult, complete, deploy, fixture, startInstance, waitFor } from './helpers/flows.js';

let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let workers: WorkerPool;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await fixture('quick-timer.bpmn'));
  workers = startWorkers({
    redisUrl: t.config.REDIS_URL,
    prefix: t.config.QUEUE_PREFIX,
    concurrency: 4,
    handlers: { 'timer.fire': (job, token) => handleTimerJob(t.app.runtime, job, token) },
    log: t.app.log,
  });
});
afterAll(async () => {
  await workers.close();
  await t.close();
});

const timersOf = (instanceId: string) =>
  t.db.selectFrom('timers').selectAll().where('instance_id', '=', instanceId).orderBy('due_at').execute();
const openTaskElements = async (instanceId: string) =>
  (
    await t.db
      .selectFrom('tasks')
      .select('element_id')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .orderBy('element_id')
      .execute()
  ).map((r) => r.element_id);

describe('boundary timers', () => {
  it('become pending rows with due times and a predictable delayed job each', async () => {
    const s: CommandResult = (await startInstance(t, officer, 'quick_timer')).json();
    const timers = await timersOf(s.instanceId);
    expect(timers.map((x) => [x.element_id, x.status])).toEqual([
      ['Timer_reminder', 'pending'],
      ['Timer_deadline', 'pending'],
    ]);
    const job = await t.queues.queue('timers').getJob(timerJobId(timers[0].id));
    expect(job?.data).toEqual({ timerId: timers[0].id });
  });

  it('fire a non-interrupting reminder, then the interrupting deadline escalates the task', async () => {
    const s: CommandResult = (await startInstance(t, officer, 'quick_timer')).json();
    await waitFor(async () => (await openTaskElements(s.instanceId)).includes('Task_reminded'));
    expect(await openTaskElements(s.instanceId)).toEqual(['Task_reminded', 'Task_review']);
    await waitFor(async () => (await openTaskElements(s.instanceId)).includes('Task_escalated'));
    expect(await openTaskElements(s.instanceId)).toEqual(['Task_escalated', 'Task_reminded']);
    const timers = await timersOf(s.instanceId);
    expect(timers.map((x) => x.status)).toEqual(['fired', 'fired']);
    const events = await t.db
      .selectFrom('instance_events')
      .select('type')
      .where('instance_id', '=', s.instanceId)
      .execute();
    expect(events.filter((e) => e.type === 'timer.fired')).toHaveLength(2);
  });

  it('are cancelled when the task is completed in time, and a late job does nothing', async () => {
    const s: CommandResult = (await startInstance(t, officer, 'quick_timer')).json();
    const res = await complete(t, reviewer, s.openTasks.find((x) => x.elementId === 'Task_review')!.id);
    expect(res.json().status).toBe('completed');
    const timers = await timersOf(s.instanceId);
    expect(timers.map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    // A job delivered anyway (e.g. re-created by a reconciler) finds nothing to do.
    const { fireTimer } = await import('../server/engine/instances.js');
    expect(await fireTimer(t.app.runtime, timers[1].id)).toEqual({ kind: 'stale', reason: 'cancelled' });
  });

  it('are re-created by the reconciler when their job is lost, and still fire', async () => {
    const s: CommandResult = (await startInstance(t, officer, 'quick_timer')).json();
    const timers = await timersOf(s.instanceId);
    for (const timer of timers) await t.queues.queue('timers').remove(timerJobId(timer.id));
    expect(await t.queues.queue('timers').getJob(timerJobId(timers[0].id))).toBeUndefined();
    // A worker's run looks only at the timers due within its horizon: these are not yet (an hour ago, none is).
    await reconcileTimers(t.app.runtime, 500, -3_600_000);
    expect(await t.queues.queue('timers').getJob(timerJobId(timers[0].id))).toBeUndefined();
    expect(await reconcileTimers(t.app.runtime, 500, 120_000)).toBeGreaterThanOrEqual(2);
    expect(await t.queues.queue('timers').getJob(timerJobId(timers[0].id))).toBeDefined();
    await waitFor(async () => (await openTaskElements(s.instanceId)).includes('Task_escalated'));
  });
});
