import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { UUID } from '../infra/ids.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import { deadlineFor } from './deadlines.js';
import type { UserTaskSpec } from './definition.js';
import type { EngineRun } from './engine-run.js';
import * as q from './queries.js';
import type { InstanceRow } from './tables.js';
import { applyTaskDeadline } from './task-clock.js';
import type { WriteBatch } from './write-batch.js';

/** Who a new task belongs to: the instance's initiator, a user named by a case variable, or nobody yet. */
function assigneeOf(
  spec: UserTaskSpec,
  initiator: string | null,
  variables: Record<string, unknown>,
  loopItem: unknown,
): string | null {
  // 会签: each iteration belongs to the user its element of the collection names, and to nobody else.
  if (spec.multiInstance) {
    if (typeof loopItem === 'string' && UUID.test(loopItem)) return loopItem;
    throw new Error(`会签任务 ${spec.elementId} 的集合 ${spec.multiInstance.collection} 含有无效的用户`);
  }
  if (spec.assignee === 'initiator') return initiator;
  if (!spec.assigneeVariable) return null;
  const value = variables[spec.assigneeVariable];
  if (typeof value === 'string' && UUID.test(value)) return value;
  throw new Error(`任务 ${spec.elementId} 的办理人变量 ${spec.assigneeVariable} 没有有效的用户`);
}

/**
 * A timer due further out than this gets no outbox row: it is handed to Redis right after the commit, and if the
 * process dies before that, the reconciler (every RECONCILE_INTERVAL_MS, at most an hour) re-creates its job
 * from PostgreSQL long before it falls due. Nearer timers keep the outbox, whose relay runs every few seconds.
 * Cancelling a timer needs no outbox row either: a job left behind finds its timer no longer pending and does
 * nothing. This keeps the usual step (a task with a deadline weeks away) to its own rows.
 */
export const DURABLE_DELIVERY_HORIZON_MS = 6 * 3_600_000;

export interface HistoryEvent {
  instance_id: string;
  type: string;
  element_id: string | null;
  actor_id: string | null;
  payload: Record<string, unknown>;
}

/**
 * Makes the task and timer rows of an instance match what its engine is waiting for after a command:
 * new user tasks and timers become rows, vanished ones are closed, and each new timer gets an outbox entry
 * so that its BullMQ job is created once the transaction commits.
 */
export async function materialize(
  trx: Transaction<DB>,
  /** Where the new and closed rows go; the caller flushes it with the history. */
  batch: WriteBatch,
  instance: Pick<InstanceRow, 'id' | 'department_id' | 'started_by'>,
  run: EngineRun,
  dbTasks: { id: string; execution_id: string; element_id: string }[],
  /** The instance's pending engine timers, read under the lock with its open tasks. */
  dbTimers: { id: string; execution_id: string; element_id: string; due_at: Date }[],
  opts: {
    completedTaskId?: string;
    actorId: string | null;
    now: Date;
    calendar: WorkingCalendar;
  },
): Promise<{
  events: HistoryEvent[];
  outbox: { topic: string; payload: Record<string, unknown> }[];
  /** Delivered after commit without an outbox row: see DURABLE_DELIVERY_HORIZON_MS. */
  direct: { topic: string; payload: Record<string, unknown> }[];
  openTasks: { id: string; elementId: string }[];
}> {
  const events: HistoryEvent[] = [];
  const outbox: { topic: string; payload: Record<string, unknown> }[] = [];
  const direct: { topic: string; payload: Record<string, unknown> }[] = [];
  const event = (type: string, elementId: string | null, payload: Record<string, unknown> = {}) =>
    events.push({ instance_id: instance.id, type, element_id: elementId, actor_id: opts.actorId, payload });

  // Timers first: a task's due time comes from the timers on its boundary.
  const engineTimers = run.pendingTimers();
  const liveTimerExecs = new Set(engineTimers.map((t) => t.executionId));
  const knownTimerExecs = new Set(dbTimers.map((t) => t.execution_id));
  const goneTimers = dbTimers.filter((t) => !liveTimerExecs.has(t.execution_id));
  const fired = goneTimers.filter((t) => run.firedTimers.has(t.execution_id));
  const cancelled = goneTimers.filter((t) => !fired.includes(t));
  for (const t of fired) event('timer.fired', t.element_id, { timerId: t.id, dueAt: t.due_at.toISOString() });
  for (const t of cancelled) {
    event('timer.cancelled', t.element_id, { timerId: t.id });
    direct.push({ topic: 'timer.cancel', payload: { timerId: t.id } });
  }
  const engineTasks = run.openUserTasks();
  const liveTaskExecs = new Set(engineTasks.map((t) => t.executionId));
  const goneTasks = dbTasks.filter((t) => !liveTaskExecs.has(t.execution_id));
  const newTimers = engineTimers
    .filter((t) => !knownTimerExecs.has(t.executionId))
    .map((t) => ({
      id: randomUUID(),
      instance_id: instance.id,
      element_id: t.elementId,
      execution_id: t.executionId,
      timer_type: t.timerType,
      due_at: t.expireAt,
      working_days: t.workingDays?.days ?? null,
      basis_date: t.workingDays?.basisDate ?? null,
      due_provisional: t.workingDays?.provisional ?? false,
    }));
  // Closing the gone timers goes into the batch with the rest: the fired ones, the vanished engine timers, and a
  // closed task's reminder and deadline (found by the update itself), which no longer apply.
  if (fired.length) {
    batch.add(
      q.closeTimersQuery(
        trx,
        fired.map((t) => t.id),
        'fired',
      ),
    );
  }
  const cancelledIds = new Set(cancelled.map((t) => t.id));
  if (cancelledIds.size || goneTasks.length) {
    batch.add(
      q.cancelTimersReturningId(
        trx,
        [...cancelledIds],
        goneTasks.map((t) => t.id),
      ),
      (ids) => {
        for (const id of ids)
          if (!cancelledIds.has(id)) direct.push({ topic: 'timer.cancel', payload: { timerId: id } });
      },
    );
  }
  // The closes may share a statement with the inserts: execution ids are unique among pending timers, but a new
  // timer's is one the database did not know, and a gone timer's is one it did.
  if (newTimers.length) batch.add(q.insertTimers(trx, newTimers));
  for (const t of newTimers) {
    event('timer.scheduled', t.element_id, { timerId: t.id, dueAt: t.due_at.toISOString() });
    const entry = { topic: 'timer.schedule', payload: { timerId: t.id, dueAt: t.due_at.toISOString() } };
    (t.due_at.getTime() - opts.now.getTime() > DURABLE_DELIVERY_HORIZON_MS ? direct : outbox).push(entry);
  }

  const dueOf = (elementId: string): Date | null => {
    const spec = run.compiled.userTasks.get(elementId);
    const dues = engineTimers
      .filter((t) => spec?.boundaryTimerIds.includes(t.elementId))
      .map((t) => t.expireAt.getTime());
    return dues.length ? new Date(Math.min(...dues)) : null;
  };

  const knownTaskExecs = new Set(dbTasks.map((t) => t.execution_id));
  const completed = goneTasks.filter((t) => t.id === opts.completedTaskId);
  const dropped = goneTasks.filter((t) => t.id !== opts.completedTaskId);
  if (completed.length)
    batch.add(
      q.closeTasks(
        trx,
        completed.map((t) => t.id),
        'completed',
        opts.actorId,
      ),
    );
  if (dropped.length)
    batch.add(
      q.closeTasks(
        trx,
        dropped.map((t) => t.id),
        'cancelled',
        null,
      ),
    );
  for (const t of completed) event('task.completed', t.element_id, { taskId: t.id });
  for (const t of dropped) event('task.cancelled', t.element_id, { taskId: t.id });

  const created = engineTasks
    .filter((t) => !knownTaskExecs.has(t.executionId))
    .map((t) => {
      const spec = run.compiled.userTasks.get(t.elementId);
      if (!spec) throw new Error(`user task ${t.elementId} missing from compiled definition`);
      return {
        id: randomUUID(),
        instance_id: instance.id,
        department_id: instance.department_id,
        element_id: t.elementId,
        execution_id: t.executionId,
        name: spec.name,
        step: spec.step,
        role: spec.role,
        assignee_id: assigneeOf(spec, instance.started_by, run.variables, t.loopItem),
        form: JSON.stringify(spec.form),
        due_at: dueOf(t.elementId),
      };
    });
  if (created.length) batch.add(q.insertTasks(trx, created));
  for (const t of created) event('task.created', t.element_id, { taskId: t.id });

  // Modelled time limits (fashen:deadlineWorkingDays) get their due time from the calendar and their own timers.
  const withDeadline = created.flatMap((t) => {
    const deadline = deadlineFor(run.compiled.userTasks.get(t.element_id)!, opts.now, run.variables);
    return deadline ? [{ t, deadline }] : [];
  });
  // A deadline updates its task's row and reads its timers: the rows so far must exist first.
  if (withDeadline.length) await batch.flush(trx);
  for (const { t, deadline } of withDeadline) {
    const effects = await applyTaskDeadline(
      trx,
      opts.calendar,
      { id: t.id, instance_id: instance.id, element_id: t.element_id },
      deadline,
      { paused: false, now: opts.now, actorId: opts.actorId },
    );
    outbox.push(...effects.outbox);
  }
  // A task that stays open keeps its due time in step with its boundary timers (e.g. a timer re-armed).
  for (const t of dbTasks.filter((d) => liveTaskExecs.has(d.execution_id))) {
    if (newTimers.length || goneTimers.length) batch.add(q.setTaskDue(trx, t.id, dueOf(t.element_id)));
  }
  const openTasks = [
    ...dbTasks.filter((d) => liveTaskExecs.has(d.execution_id)).map((t) => ({ id: t.id, elementId: t.element_id })),
    ...created.map((t) => ({ id: t.id, elementId: t.element_id })),
  ];
  return { events, outbox, direct, openTasks };
}
