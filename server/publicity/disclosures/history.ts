import type { Transaction } from 'kysely';
import type { Database } from '../../database/connect.js';
import type { DB } from '../../database/schema.js';
import { appendCaseRecords } from '../../records/append.js';
import * as q from '../queries.js';

/**
 * Records what happened to a disclosure: in its own history, and — when it came from a case — in the case's
 * tamper-evident whole-process record (执法全过程记录), so publication, withdrawal and take-down are part of
 * the case's chain, in the same transaction as the change.
 */
export async function recordDisclosureEvent(
  trx: Transaction<DB>,
  disclosure: { id: string; case_id: string | null },
  e: { type: string; actorId: string | null; payload: Record<string, unknown>; at: Date },
) {
  await q.appendDisclosureEvent(trx, { disclosureId: disclosure.id, ...e });
  if (!disclosure.case_id) return;
  await appendCaseRecords(trx, disclosure.case_id, [
    {
      at: e.at.toISOString(),
      actorId: e.actorId,
      type: e.type,
      payload: { disclosureId: disclosure.id, ...e.payload },
    },
  ]);
}

/**
 * What became of a case's disclosure, for the case page: published, reminded, overdue, withdrawn (with the
 * reason), taken down. Its creation is already in the case's process history.
 */
export async function caseDisclosureHistory(db: Database, caseId: string) {
  const rows = await q.listCaseDisclosureEvents(db, caseId);
  return rows
    .filter((r) => r.type !== 'disclosure.created')
    .map((r) => ({
      id: `disclosure-${r.id}`,
      type: r.type,
      actorId: r.actor_id,
      actorName: r.actor_name,
      payload: r.payload,
      at: r.at,
    }));
}
