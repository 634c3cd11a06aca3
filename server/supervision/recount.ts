import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { changeEach, type OutboxRow } from '../engine/outbox.js';
import { cancelOwnedTimers, scheduleOwnedTimers } from '../engine/owned-timers.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import * as q from './queries.js';
import { recordOnCase, SUPERVISION_TIMER_KIND, type SupervisionContext } from './service.js';

/**
 * After a year's holiday notice is loaded, the due date of every item counted Monday–Friday for lack of it is
 * counted again from its day of issue, and its deadline timer is moved. Answered and accepted items are recounted
 * too: whether they were answered in time is judged against the due date. An overdue mark stays only if it was
 * made after the recounted due date; one the early date made is taken back (and, the item still unanswered past
 * the recounted date, the moved timer marks it again). The signed document keeps the date it printed, which says
 * it was counted Monday–Friday. Idempotent, so several processes may run it. Returns how many due dates changed.
 */
export async function recountProvisionalSupervision(ctx: SupervisionContext): Promise<number> {
  const ids = (await q.provisionalItems(ctx.db)).map((i) => i.id);
  const recount = (trx: Transaction<DB>, id: string, effects: OutboxRow[]) => recountItem(ctx, trx, id, effects);
  return changeEach(ctx, ids, recount, 'supervision');
}

async function recountItem(ctx: SupervisionContext, trx: Transaction<DB>, id: string, effects: OutboxRow[]) {
  const item = await q.lockItem(trx, id);
  if (!item.due_provisional) return false;
  const due = addWorkingDays(
    await ctx.calendar.calendarFor(trx),
    instantToShanghaiDate(item.created_at),
    item.working_days,
  );
  if (due.dueAt.getTime() === item.due_at.getTime()) {
    // Same day (the loaded year changes nothing here): only whether it is still provisional.
    if (!due.provisional) await q.updateItem(trx, id, { due_provisional: false });
    return false;
  }
  const stillOverdue = item.overdue_at !== null && item.overdue_at > due.dueAt;
  const updated = await q.updateItem(trx, id, {
    due_at: due.dueAt,
    due_provisional: due.provisional,
    overdue_at: stillOverdue ? item.overdue_at : null,
  });
  const owner = { type: 'supervision', id };
  effects.push(...(await cancelOwnedTimers(trx, owner, [SUPERVISION_TIMER_KIND])));
  if (item.status !== 'accepted' && !stillOverdue) {
    effects.push(...(await scheduleOwnedTimers(trx, owner, [{ kind: SUPERVISION_TIMER_KIND, dueAt: due.dueAt }])));
  }
  await recordOnCase(ctx, trx, updated, {
    type: 'supervision.due_recounted',
    actorId: null,
    payload: {
      from: item.due_at.toISOString(),
      to: due.dueAt.toISOString(),
      provisional: due.provisional,
      ...(item.overdue_at && !stillOverdue ? { overdueWithdrawn: item.overdue_at.toISOString() } : {}),
    },
    at: ctx.clock.now(),
  });
  return true;
}
