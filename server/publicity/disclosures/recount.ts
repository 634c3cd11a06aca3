import { addWorkingDays } from '../../workdays/deadlines.js';
import * as q from '../queries.js';
import { isoDate } from '../tables.js';
import { deadlineTimers } from './create.js';
import { recordDisclosureEvent } from './history.js';
import {
  cancelDisclosureTimers,
  deliverTimerEffects,
  noTimerEffects,
  type PublicityContext,
  scheduleDisclosureTimers,
} from './timers.js';

/**
 * After a year's holiday notice is loaded, the legal deadline of every pending disclosure that was counted
 * Monday–Friday for lack of it is counted again, and its timers are moved. A reminder already sent is not
 * sent again; an "overdue" mark stays only if the recounted deadline has passed too. Idempotent: a deadline
 * that comes out the same is left alone. Returns how many deadlines changed.
 */
export async function recountProvisionalDisclosures(ctx: PublicityContext): Promise<number> {
  let changed = 0;
  for (const { id } of await q.provisionalDisclosures(ctx.db)) {
    const effects = noTimerEffects();
    const recounted = await ctx.db.transaction().execute(async (trx) => {
      const d = await q.lockDisclosure(trx, id);
      if (d?.status !== 'pending' || !d.due_provisional) return null;
      const rule = await q.findRule(trx, d.category);
      if (!rule) return null;
      const calendar = await ctx.calendar.calendarFor(trx);
      const decisionDate = isoDate(d.decision_date);
      const due = addWorkingDays(calendar, decisionDate, rule.deadline_working_days);
      if (due.dueAt.getTime() === d.due_at.getTime() && due.provisional === d.due_provisional) return null;
      const now = ctx.clock.now();
      const stillOverdue = d.overdue_at !== null && due.dueAt.getTime() <= now.getTime();
      await q.setDisclosureDue(trx, id, {
        dueAt: due.dueAt,
        provisional: due.provisional,
        overdueAt: stillOverdue ? d.overdue_at : null,
      });
      await cancelDisclosureTimers(trx, id, ['disclosure_reminder', 'disclosure_deadline'], effects);
      const timers = deadlineTimers(calendar, decisionDate, rule, due.dueAt).filter((t) =>
        t.kind === 'disclosure_reminder' ? d.reminded_at === null : !stillOverdue,
      );
      await scheduleDisclosureTimers(trx, id, timers, effects);
      await recordDisclosureEvent(trx, d, {
        type: 'disclosure.due_recounted',
        actorId: null,
        payload: { from: d.due_at.toISOString(), to: due.dueAt.toISOString(), provisional: due.provisional },
        at: now,
      });
      changed++;
      return true;
    });
    if (recounted) await deliverTimerEffects(ctx, effects);
  }
  return changed;
}
