import { findCase } from '../cases/reads.js';
import { closeOwnedTimers, findOwnedTimer } from '../engine/owned-timers.js';
import type { TimerOutcome } from '../engine/registry.js';
import { recordCaseEvent } from '../records/append.js';
import { LIMIT_KIND, NOTICE_KIND, REMINDER_KIND } from './events.js';
import * as q from './queries.js';
import type { LifecycleContext } from './service.js';

export const LIFECYCLE_TIMER_KINDS = [LIMIT_KIND, REMINDER_KIND, NOTICE_KIND] as const;

/**
 * A lifecycle deadline came (BullMQ delivered it; the row is in PostgreSQL): re-read under the lifecycle's lock and
 * do nothing if it no longer applies. The 90-day limit flags the case overdue unless its decision was recorded or
 * it was archived; the reminder says the limit is near; the end of the notice period is a case fact (from then a
 * decision may be recorded).
 */
export async function fireLifecycleTimer(ctx: LifecycleContext, timerId: string): Promise<TimerOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const timer = await findOwnedTimer(trx, timerId);
    if (timer?.status !== 'pending') return { kind: 'stale', reason: timer?.status ?? 'missing' };
    const now = ctx.clock.now();
    if (timer.kind === NOTICE_KIND) {
      const stage = await trx
        .selectFrom('case_stages')
        .select(['case_id', 'details'])
        .where('id', '=', timer.ownerId)
        .executeTakeFirst();
      const c = stage && (await findCase(trx, stage.case_id));
      // Decided (the party waived) or archived before the period ended: the end no longer matters to the case.
      const lc = c && (await q.findLifecycle(trx, c.id));
      const moot = !!c && (!!c.decision || !!lc?.archived_on);
      await closeOwnedTimers(trx, [timerId], c && !moot ? 'fired' : 'cancelled');
      if (!stage || !c) return { kind: 'stale', reason: 'missing' };
      if (moot) return { kind: 'stale', reason: c.decision ? 'decided' : 'archived' };
      await recordCaseEvent(ctx.history, trx, c, {
        type: 'lifecycle.notice_period_ended',
        actorId: null,
        at: now,
        payload: {
          caseId: c.id,
          stageId: timer.ownerId,
          statementDue: stage.details.statementDue,
          hearingRequestDue: stage.details.hearingRequestDue ?? null,
        },
      });
      return { kind: 'fired' };
    }
    const lc = await q.findLifecycle(trx, timer.ownerId, true);
    const c = lc && (await findCase(trx, lc.case_id));
    const applies = !!lc && !!c && !c.decision && !lc.archived_on;
    await closeOwnedTimers(trx, [timerId], applies ? 'fired' : 'cancelled');
    if (!applies) return { kind: 'stale', reason: c?.decision ? 'decided' : 'not_applicable' };
    const overdue = timer.kind === LIMIT_KIND;
    await q.updateLifecycle(trx, lc.case_id, overdue ? { overdueAt: now } : { remindedAt: now });
    await recordCaseEvent(ctx.history, trx, c, {
      type: overdue ? 'lifecycle.limit_overdue' : 'lifecycle.limit_reminder',
      actorId: null,
      at: now,
      payload: { caseId: c.id, filedOn: lc.filed_on, decisionDueOn: lc.decision_due_on, extended: !!lc.extension },
    });
    return { kind: 'fired' };
  });
}
