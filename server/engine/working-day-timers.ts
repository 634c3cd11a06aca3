import { sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import type { RuntimeContext } from './context.js';
import { resolveDeadline } from './deadlines.js';
import type { HistoryEvent } from './materialize.js';
import * as q from './queries.js';
import { applyTaskDeadline, type ClockEffects, withInstanceLocked } from './task-clock.js';

/**
 * Moves a waiting timer's expiry in an engine's saved state. bpmn-elements keeps it in the timer's
 * `execute.timer` message (expireAt, with the duration it was counted from); on recovery it re-arms the timer
 * from that expiry, or fires it at once if the expiry has passed. The duration is moved by the same amount,
 * since recovery keeps the earlier of the stored expiry and "now + duration". Returns how many messages moved.
 */
export function moveTimerInState(state: unknown, executionId: string, to: Date): number {
  let moved = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.executionId === executionId && typeof o.expireAt === 'string') {
      const deltaMs = to.getTime() - new Date(o.expireAt).getTime();
      o.expireAt = to.toISOString();
      if (typeof o.timeout === 'number') o.timeout += deltaMs;
      const seconds = typeof o.timeDuration === 'string' ? /^PT(\d+)S$/.exec(o.timeDuration) : null;
      if (seconds) o.timeDuration = `PT${Math.max(1, Number(seconds[1]) + Math.ceil(deltaMs / 1000))}S`;
      moved++;
    }
    for (const value of Object.values(o)) visit(value);
  };
  visit(state);
  return moved;
}

const nothing = (): { result: boolean } & ClockEffects => ({ result: false, events: [], outbox: [] });

/**
 * After a year's holiday notice is loaded, every waiting `P<n>WD` engine timer that was counted Monday–Friday
 * for lack of it is counted again from its basis date. One that moves gets its row, its BullMQ job, the
 * engine's saved expiry and the due time of the task it bounds moved together, under the instance lock.
 * Idempotent, like recomputeProvisionalDeadlines: several processes may run it. Returns how many moved.
 */
export async function recountWorkingDayTimers(ctx: RuntimeContext): Promise<number> {
  const candidates = await ctx.db
    .selectFrom('timers')
    .select(['id', 'instance_id'])
    .where('status', '=', 'pending')
    .where('kind', '=', 'engine')
    .where('due_provisional', '=', true)
    .where('working_days', 'is not', null)
    .orderBy('id')
    .execute();
  let moved = 0;
  for (const c of candidates) {
    if (!c.instance_id) continue;
    if (await withInstanceLocked(ctx, c.instance_id, (trx) => recountOne(ctx, trx, c.id))) moved++;
  }
  return moved;
}

async function recountOne(
  ctx: RuntimeContext,
  trx: Transaction<DB>,
  timerId: string,
): Promise<{ result: boolean } & ClockEffects> {
  const timer = await q.findTimer(trx, timerId);
  if (
    timer?.status !== 'pending' ||
    !timer.instance_id ||
    !timer.due_provisional ||
    timer.working_days === null ||
    timer.basis_date === null
  ) {
    return nothing();
  }
  const calendar = await ctx.calendar.calendarFor(trx);
  const again = addWorkingDays(calendar, timer.basis_date, timer.working_days);
  if (again.due === instantToShanghaiDate(timer.due_at)) {
    // Same day (the loaded year changes nothing here, or another process recounted it already).
    if (!again.provisional) await setTimerDue(trx, timer.id, timer.due_at, false);
    return nothing();
  }
  const instance = await trx
    .selectFrom('process_instances')
    .select(['state', 'version', 'definition_id'])
    .where('id', '=', timer.instance_id)
    .executeTakeFirstOrThrow();
  const state = instance.state;
  if (moveTimerInState(state, timer.execution_id, again.dueAt) === 0) {
    // The row says waiting but the engine does not: the next command on the instance settles it.
    ctx.log.warn({ timerId, instanceId: timer.instance_id }, 'working-day timer not found in engine state');
    return nothing();
  }
  await trx
    .updateTable('process_instances')
    .set({ state: JSON.stringify(state), version: instance.version + 1, updated_at: sql`now()` })
    .where('id', '=', timer.instance_id)
    .execute();
  await setTimerDue(trx, timer.id, again.dueAt, again.provisional);
  const tasks = await moveBoundedTaskDue(ctx, trx, timer.instance_id, instance.definition_id, timer.element_id);
  const event: HistoryEvent = {
    instance_id: timer.instance_id,
    type: 'timer.recomputed',
    element_id: timer.element_id,
    actor_id: null,
    payload: {
      timerId,
      from: timer.due_at.toISOString(),
      to: again.dueAt.toISOString(),
      provisional: again.provisional,
      ...(tasks.length ? { taskIds: tasks } : {}),
    },
  };
  return {
    result: true,
    events: [event],
    // In this order: the old delayed job goes, then one with the same id comes back at the new time.
    outbox: [
      { topic: 'timer.cancel', payload: { timerId } },
      { topic: 'timer.schedule', payload: { timerId, dueAt: again.dueAt.toISOString() } },
    ],
  };
}

function setTimerDue(trx: Transaction<DB>, id: string, dueAt: Date, provisional: boolean) {
  return trx.updateTable('timers').set({ due_at: dueAt, due_provisional: provisional }).where('id', '=', id).execute();
}

/**
 * An open user task whose due time comes from its boundary timers (see materialize's dueOf) follows the moved
 * one: the earliest waiting timer on its boundary. A task with a modelled deadline keeps the calendar's.
 */
async function moveBoundedTaskDue(
  ctx: RuntimeContext,
  trx: Transaction<DB>,
  instanceId: string,
  definitionId: string,
  timerElementId: string,
): Promise<string[]> {
  const compiled = await ctx.cache.get(trx, definitionId);
  const hosts = [...compiled.userTasks.values()].filter((s) => s.boundaryTimerIds.includes(timerElementId));
  if (hosts.length === 0) return [];
  const timers = await q.pendingTimersOfInstance(trx, instanceId);
  const open = await q.openTasksOfInstance(trx, instanceId);
  const moved: string[] = [];
  for (const spec of hosts) {
    const dues = timers.filter((t) => spec.boundaryTimerIds.includes(t.element_id)).map((t) => t.due_at.getTime());
    const due = dues.length ? new Date(Math.min(...dues)) : null;
    for (const task of open.filter((t) => t.element_id === spec.elementId)) {
      const updated = await q.updateTaskDue(trx, task.id, due);
      if (updated.some((r) => Number(r.numUpdatedRows) > 0)) moved.push(task.id);
    }
  }
  return moved;
}

/**
 * Everything of the runtime counted Monday–Friday for lack of a holiday notice: user-task deadlines and
 * `P<n>WD` engine timers. Called when a year is loaded (the service) and by workers watching the calendar.
 */
export async function recountProvisionalRuntime(ctx: RuntimeContext): Promise<{ tasks: number; timers: number }> {
  const tasks = await recomputeProvisionalDeadlines(ctx);
  const timers = await recountWorkingDayTimers(ctx);
  return { tasks, timers };
}

/**
 * After a year's holiday schedule is loaded, every open deadline that was counted Monday–Friday for lack of it
 * is counted again with the real schedule. Idempotent: a deadline that comes out the same is left alone, so
 * several processes may run it for the same load. Returns how many deadlines changed.
 */
export async function recomputeProvisionalDeadlines(ctx: RuntimeContext): Promise<number> {
  const tasks = await q.provisionalTasks(ctx.db);
  let changed = 0;
  for (const t of tasks) {
    await withInstanceLocked(ctx, t.instance_id, async (trx) => {
      const task = await q.findTaskForClock(trx, t.id);
      if (task?.status !== 'open' || !task.deadline || task.paused_at) return { result: null, events: [], outbox: [] };
      const calendar = await ctx.calendar.calendarFor(trx);
      // Another process may have recounted it already, or the loaded year is not the one it touches.
      const again = resolveDeadline(calendar, task.deadline);
      if (again.dueAt.getTime() === task.due_at?.getTime() && again.provisional === task.due_provisional) {
        return { result: null, events: [], outbox: [] };
      }
      changed++;
      const applied = await applyTaskDeadline(trx, calendar, task, task.deadline, {
        paused: false,
        now: ctx.clock.now(),
        actorId: null,
      });
      return {
        result: null,
        events: [
          {
            instance_id: task.instance_id,
            element_id: task.element_id,
            actor_id: null,
            type: 'deadline.recomputed',
            payload: {
              taskId: task.id,
              from: task.due_at?.toISOString() ?? null,
              to: applied.dueAt?.toISOString() ?? null,
              provisional: applied.provisional,
            },
          },
        ],
        outbox: applied.outbox,
      };
    });
  }
  return changed;
}
