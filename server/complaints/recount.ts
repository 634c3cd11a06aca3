import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { changeEach, type OutboxRow } from '../engine/outbox.js';
import { cancelOwnedTimers, scheduleOwnedTimers } from '../engine/owned-timers.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import { COMPLAINT_TIMER_KIND, type ComplaintsContext } from './service.js';

/**
 * After a year's holiday notice is loaded, the answer deadline of every complaint counted Monday–Friday for lack of
 * it is counted again from the day it was received, and its deadline timer is moved. Answered complaints are
 * recounted too: whether they were answered on time is judged against the due date. An overdue mark stays only if
 * it was made after the recounted due date; one the early date made is taken back (and, the complaint still
 * unanswered past the recounted date, the moved timer marks it again). Idempotent, so several processes may run
 * it. Returns how many due dates changed.
 */
export async function recountProvisionalComplaints(ctx: ComplaintsContext): Promise<number> {
  const provisional = await ctx.db
    .selectFrom('complaints')
    .select('id')
    .where('due_provisional', '=', true)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const recount = (trx: Transaction<DB>, id: string, effects: OutboxRow[]) => recountComplaint(ctx, trx, id, effects);
  return changeEach(
    ctx,
    provisional.map((c) => c.id),
    recount,
    'complaint',
  );
}

async function recountComplaint(ctx: ComplaintsContext, trx: Transaction<DB>, id: string, effects: OutboxRow[]) {
  const c = await trx
    .selectFrom('complaints')
    .select(['id', 'status', 'created_at', 'working_days', 'due_at', 'due_provisional', 'overdue_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!c?.due_provisional) return false;
  const due = addWorkingDays(await ctx.calendar.calendarFor(trx), instantToShanghaiDate(c.created_at), c.working_days);
  if (due.dueAt.getTime() === c.due_at.getTime()) {
    // Same day (the loaded year changes nothing here): only whether it is still provisional.
    if (!due.provisional)
      await trx.updateTable('complaints').set({ due_provisional: false }).where('id', '=', id).execute();
    return false;
  }
  const stillOverdue = c.overdue_at !== null && c.overdue_at > due.dueAt;
  await trx
    .updateTable('complaints')
    .set({ due_at: due.dueAt, due_provisional: due.provisional, overdue_at: stillOverdue ? c.overdue_at : null })
    .where('id', '=', id)
    .execute();
  const owner = { type: 'complaint', id };
  effects.push(...(await cancelOwnedTimers(trx, owner, [COMPLAINT_TIMER_KIND])));
  if (c.status === 'received' && !stillOverdue) {
    effects.push(...(await scheduleOwnedTimers(trx, owner, [{ kind: COMPLAINT_TIMER_KIND, dueAt: due.dueAt }])));
  }
  return true;
}
