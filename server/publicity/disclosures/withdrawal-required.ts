import type { Transaction } from 'kysely';
import type { DB } from '../../database/schema.js';
import * as q from '../queries.js';
import { recordDisclosureEvent } from './history.js';
import { cancelDisclosureTimers, noTimerEffects } from './timers.js';

/**
 * A 复议 or 诉讼 outcome changed, revoked, or found the decision unlawful or void (纠错), in the caller's transaction.
 *
 * - Published: it must be withdrawn, with the reason published, by `dueAt` (three working days, 行政处罚法
 *   arts. 48(2) and 85). The obligation is recorded on the disclosure and in its history; the legal unit's list
 *   shows it, overdue once passed.
 * - Not yet published: the decision is never published as it stands — publishing it would only oblige its
 *   withdrawal. The disclosure ends as `cancelled` (不予公开) with the outcome as its reason, and its reminder and
 *   deadline timers are cancelled, so it does not become overdue. This holds for 变更 too: the decision in force
 *   is then the reviewing organ's or the court's, which publishes it (行政复议法 art. 79), not this agency's text.
 *
 * The cancelled timers' jobs are removed by the engine's outbox relay after the caller commits; one that fires
 * first finds its timer cancelled and does nothing. Returns whether the case has a disclosure, and if it was
 * published.
 */
export async function requireWithdrawal(
  trx: Transaction<DB>,
  caseId: string,
  input: { dueAt: Date; reason: string; actorId: string; at: Date },
): Promise<'published' | 'unpublished' | 'none'> {
  const found = await q.findDisclosureByCase(trx, caseId);
  if (!found || found.status === 'withdrawn' || found.status === 'expired') return 'none';
  const d = await q.lockDisclosure(trx, found.id);
  if (!d || d.status === 'withdrawn' || d.status === 'expired') return 'none';
  if (d.status === 'cancelled') return 'unpublished';
  if (d.status === 'pending') {
    await q.updateDisclosure(trx, d.id, {
      status: 'cancelled',
      cancelled_at: input.at,
      cancellation_reason: input.reason,
    });
    await cancelDisclosureTimers(trx, d.id, ['disclosure_reminder', 'disclosure_deadline'], noTimerEffects());
    await recordDisclosureEvent(trx, d, {
      type: 'disclosure.cancelled',
      actorId: input.actorId,
      payload: { reason: input.reason },
      at: input.at,
    });
    return 'unpublished';
  }
  await q.updateDisclosure(trx, d.id, { withdraw_due_at: input.dueAt, withdraw_required_reason: input.reason });
  await recordDisclosureEvent(trx, d, {
    type: 'disclosure.withdrawal_required',
    actorId: input.actorId,
    payload: { dueAt: input.dueAt.toISOString(), reason: input.reason },
    at: input.at,
  });
  return 'published';
}
