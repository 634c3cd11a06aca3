import { closeOwnedTimers, findOwnedTimer } from '../engine/owned-timers.js';
import type { TimerOutcome } from '../engine/registry.js';
import type { TransfersContext } from './context.js';
import * as q from './queries.js';
import { REGULATION, type StepKey, TIME_LIMITS, WINDOW_STEPS } from './rules.js';
import { DEADLINE_KIND, record } from './steps.js';

/** A transfer limit's timer came due: remind, flag it overdue, or close a window (re-read under the row lock). */
export async function fireTransferTimer(ctx: TransfersContext, timerId: string): Promise<TimerOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const timer = await findOwnedTimer(trx, timerId);
    if (timer?.status !== 'pending') return { kind: 'stale', reason: timer?.status ?? 'missing' };
    const t = await q.lockTransfer(trx, timer.ownerId);
    // A step done meanwhile cancelled this timer in its own transaction: read it again under the row lock.
    if ((await findOwnedTimer(trx, timerId))?.status !== 'pending') return { kind: 'stale', reason: 'cancelled' };
    const stepKey = t?.step as StepKey | null | undefined;
    await closeOwnedTimers(trx, [timerId], stepKey ? 'fired' : 'cancelled');
    if (!t || !stepKey) return { kind: 'stale', reason: t?.status ?? 'missing' };
    const now = ctx.clock.now();
    const c = await trx
      .selectFrom('cases')
      .select(['id', 'instance_id'])
      .where('id', '=', t.case_id)
      .executeTakeFirstOrThrow();
    const base = {
      transferId: t.id,
      step: stepKey,
      dueAt: t.step_due_at?.toISOString(),
      article: `${REGULATION}${TIME_LIMITS[stepKey].article}`,
    };
    if (timer.kind !== DEADLINE_KIND) {
      await q.updateTransfer(trx, t.id, { reminded_at: now });
      await record(ctx, trx, c, null, now, 'transfer.reminder', base);
    } else if (WINDOW_STEPS.includes(stepKey)) {
      await q.updateTransfer(trx, t.id, { step: null, step_due_at: null });
      await record(ctx, trx, c, null, now, 'transfer.window_closed', base);
    } else {
      await q.updateTransfer(trx, t.id, {
        overdue_at: now,
        overdue_steps: JSON.stringify([...new Set([...t.overdue_steps, stepKey])]),
      });
      await record(ctx, trx, c, null, now, 'transfer.overdue', { ...base, party: TIME_LIMITS[stepKey].party });
    }
    return { kind: 'fired' };
  });
}
