import type { Transaction } from 'kysely';
import type { DB } from '../../database/schema.js';
import * as q from '../queries.js';
import { recordDisclosureEvent } from './history.js';

/**
 * A 复议 or 诉讼 outcome changed, revoked, or found the decision unlawful or void: its published disclosure must
 * be withdrawn, with the reason published, by `dueAt` (three working days, 行政处罚法 arts. 48(2) and 85). The
 * obligation is recorded on the disclosure and in its history, in the caller's transaction; the legal unit's
 * list shows it, overdue once passed. A disclosure not (yet) published is not withdrawn: it must not be
 * published as it stands, which the same mark tells the legal unit. Returns whether the case has a disclosure.
 */
export async function requireWithdrawal(
  trx: Transaction<DB>,
  caseId: string,
  input: { dueAt: Date; reason: string; actorId: string; at: Date },
): Promise<'published' | 'unpublished' | 'none'> {
  const found = await q.findDisclosureByCase(trx, caseId);
  if (!found || found.status === 'withdrawn' || found.status === 'expired') return 'none';
  const d = await q.lockDisclosure(trx, found.id);
  if (!d) return 'none';
  await q.updateDisclosure(trx, d.id, { withdraw_due_at: input.dueAt, withdraw_required_reason: input.reason });
  await recordDisclosureEvent(trx, d, {
    type: 'disclosure.withdrawal_required',
    actorId: input.actorId,
    payload: { dueAt: input.dueAt.toISOString(), reason: input.reason },
    at: input.at,
  });
  return d.status === 'published' ? 'published' : 'unpublished';
}
