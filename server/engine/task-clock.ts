import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import type { RuntimeContext } from './context.js';
import { resolveDeadline } from './deadlines.js';
import { EngineError } from './errors.js';
import { appendHistory } from './history.js';
import type { HistoryEvent } from './materialize.js';
import { deliverCommitted, type OutboxRow } from './outbox.js';
import * as q from './queries.js';
import type { TaskDeadline } from './tables.js';

// A task's clock as the tasks service and pages see it: its deadline row and its extension requests.
export { decideExtension, findExtension, findTaskForClock, insertExtension, listExtensions } from './queries.js';

export interface ClockEffects {
  events: HistoryEvent[];
  outbox: { topic: string; payload: Record<string, unknown> }[];
}

/**
 * Sets a task's deadline (or clears it while paused) and replaces its reminder/deadline timers. Used when a
 * task is created, extended, paused, resumed, or its year's holiday schedule is loaded.
 */
export async function applyTaskDeadline(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  task: { id: string; instance_id: string; element_id: string },
  deadline: TaskDeadline,
  opts: { paused: boolean; now: Date; actorId: string | null },
): Promise<ClockEffects & { dueAt: Date | null; provisional: boolean }> {
  const effects: ClockEffects = { events: [], outbox: [] };
  const old = await q.pendingTaskTimers(trx, task.id);
  await q.closeTimers(
    trx,
    old.map((t) => t.id),
    'cancelled',
  );
  for (const t of old) effects.outbox.push({ topic: 'timer.cancel', payload: { timerId: t.id } });

  const resolved = opts.paused ? null : resolveDeadline(calendar, deadline);
  await q.updateTaskDeadline(trx, task.id, {
    deadline,
    dueAt: resolved?.dueAt ?? null,
    provisional: resolved?.provisional ?? false,
    pausedAt: opts.paused ? opts.now : null,
  });
  if (resolved) {
    const rows: { kind: 'task_deadline' | 'task_reminder'; due: Date }[] = [
      { kind: 'task_deadline', due: resolved.dueAt },
    ];
    if (resolved.remindAt) rows.push({ kind: 'task_reminder', due: resolved.remindAt });
    const created = await q.insertTaskTimers(
      trx,
      rows.map((r) => ({
        instance_id: task.instance_id,
        task_id: task.id,
        element_id: task.element_id,
        kind: r.kind,
        due_at: r.due,
      })),
    );
    for (const t of created) {
      effects.outbox.push({ topic: 'timer.schedule', payload: { timerId: t.id, dueAt: t.due_at.toISOString() } });
    }
  }
  return { ...effects, dueAt: resolved?.dueAt ?? null, provisional: resolved?.provisional ?? false };
}

/**
 * Runs `fn` with the instance row locked (so it cannot interleave with a command on the same instance), then
 * writes its history and outbox, commits and delivers.
 */
export async function withInstanceLocked<T>(
  ctx: RuntimeContext,
  instanceId: string,
  fn: (trx: Transaction<DB>) => Promise<{ result: T } & ClockEffects>,
): Promise<T> {
  let outbox: OutboxRow[] = [];
  const result = await ctx.db.transaction().execute(async (trx) => {
    const row = await q.lockInstance(trx, instanceId);
    if (!row) throw new EngineError('not_found', 'INSTANCE_NOT_FOUND', '流程实例不存在');
    const r = await fn(trx);
    await appendHistory(ctx, trx, r.events);
    const ids = await q.insertOutbox(trx, r.outbox);
    outbox = r.outbox.map((o, i) => ({ ...o, id: ids[i].id }));
    return r.result;
  });
  await deliverCommitted(ctx, outbox).catch((err) => ctx.log.warn({ err }, 'outbox delivery deferred to relay'));
  return result;
}

/**
 * A task's own reminder or deadline came due: record it, and on the deadline hand the task to the escalation
 * target (fashen:escalateTo), whose members then see it in their task list. The engine is not involved.
 */
export async function fireTaskTimer(
  ctx: RuntimeContext,
  timer: { id: string; instance_id: string },
): Promise<{ kind: 'fired' } | { kind: 'stale'; reason: string }> {
  type Outcome = { kind: 'fired' } | { kind: 'stale'; reason: string };
  return withInstanceLocked<Outcome>(ctx, timer.instance_id, async (trx) => {
    const none: ClockEffects = { events: [], outbox: [] };
    const fresh = await q.findTimer(trx, timer.id);
    if (fresh?.status !== 'pending' || !fresh.task_id) {
      return { result: { kind: 'stale' as const, reason: fresh?.status ?? 'missing' }, ...none };
    }
    const task = await q.findTaskForClock(trx, fresh.task_id);
    if (task?.status !== 'open' || task.paused_at) {
      await q.closeTimers(trx, [fresh.id], 'cancelled');
      return { result: { kind: 'stale' as const, reason: task?.paused_at ? 'paused' : 'task closed' }, ...none };
    }
    await q.closeTimers(trx, [fresh.id], 'fired');
    const now = ctx.clock.now();
    const base = { instance_id: task.instance_id, element_id: task.element_id, actor_id: null };
    if (fresh.kind === 'task_reminder') {
      await q.markTaskReminded(trx, task.id, now);
      return {
        result: { kind: 'fired' as const },
        events: [{ ...base, type: 'task.reminder', payload: { taskId: task.id, dueAt: task.due_at?.toISOString() } }],
        outbox: [],
      };
    }
    const escalateTo = task.deadline?.escalateTo ?? null;
    await q.markTaskEscalated(trx, task.id, escalateTo, now);
    return {
      result: { kind: 'fired' as const },
      events: [{ ...base, type: 'task.overdue', payload: { taskId: task.id, escalatedTo: escalateTo } }],
      outbox: [],
    };
  });
}
