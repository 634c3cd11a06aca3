import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { appendHistory } from '../engine/history.js';
import type { HistoryListeners } from '../engine/registry.js';
import type { CaseFiles } from './case-files.js';
import { filesOf, genesisHash, type RecordEntry, type RecordedSignature, recordBody, recordHash } from './chain.js';
import * as q from './queries.js';

/**
 * Appends entries to a case's chain inside the caller's transaction, so an event and its record commit or
 * roll back together. The only write path to case_records: there is no code that changes or removes one.
 */
export async function appendCaseRecords(trx: Transaction<DB>, caseId: string, entries: RecordEntry[]) {
  if (entries.length === 0) return [];
  await q.lockCaseChain(trx, caseId);
  const head = await q.chainHead(trx, caseId);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? genesisHash(caseId);
  const rows = entries.map((entry) => {
    seq += 1;
    const body = recordBody(caseId, seq, { ...entry, files: entry.files ?? filesOf(entry.payload) });
    const hash = recordHash(prev, body);
    const row = { case_id: caseId, seq, body, prev_hash: prev, hash };
    prev = hash;
    return row;
  });
  return q.insertRecords(trx, rows);
}

/**
 * Records an event of a case: through its process instance's history when it has one (so it shows on the
 * timeline and reaches the case's record through the history listener), straight into the case's record when
 * it has none. The one place that chooses between the two.
 */
export async function recordCaseEvent(
  history: HistoryListeners,
  trx: Transaction<DB>,
  c: { id: string; instance_id: string | null },
  e: { type: string; actorId: string | null; payload: Record<string, unknown>; at: Date },
) {
  if (c.instance_id) {
    await appendHistory({ history }, trx, [
      { instance_id: c.instance_id, type: e.type, element_id: null, actor_id: e.actorId, payload: e.payload },
    ]);
  } else {
    await appendCaseRecords(trx, c.id, [
      { at: e.at.toISOString(), actorId: e.actorId, type: e.type, payload: e.payload },
    ]);
  }
}

export interface InstanceEventRow {
  instance_id: string;
  type: string;
  actor_id: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * The case side of the instance history: each event of an instance that belongs to a review case becomes a
 * record of that case. A document's SM2 signature is copied into the first record of the batch that names it.
 */
export async function recordInstanceEvents(
  files: Pick<CaseFiles, 'casesOfInstances'>,
  trx: Transaction<DB>,
  events: InstanceEventRow[],
  /** The case of the instance a command locked, read with its lock (`caseOfLockedInstance`). */
  locked?: { instanceId: string; value: unknown },
) {
  if (events.length === 0) return;
  const instanceIds = [...new Set(events.map((e) => e.instance_id))];
  const caseOf = locked
    ? new Map(typeof locked.value === 'string' ? [[locked.instanceId, locked.value]] : [])
    : new Map((await files.casesOfInstances(trx, instanceIds)).map((c) => [c.instance_id, c.id]));
  if (caseOf.size === 0) return;
  const documentIds = [
    ...new Set(events.map((e) => e.payload.documentId).filter((d): d is string => typeof d === 'string')),
  ];
  const signatures = new Map((await q.signaturesOfDocuments(trx, documentIds)).map((s) => [s.document_id, s]));
  const byCase = new Map<string, RecordEntry[]>();
  for (const e of events) {
    const caseId = caseOf.get(e.instance_id);
    if (!caseId) continue;
    const documentId = e.payload.documentId;
    const signature = typeof documentId === 'string' ? signatures.get(documentId) : undefined;
    if (signature) signatures.delete(signature.document_id);
    const entry: RecordEntry = {
      at: e.at.toISOString(),
      actorId: e.actor_id,
      type: e.type,
      payload: e.payload,
      signatures: signature ? [recordedSignature(signature)] : undefined,
    };
    byCase.set(caseId, [...(byCase.get(caseId) ?? []), entry]);
  }
  for (const [caseId, entries] of byCase) await appendCaseRecords(trx, caseId, entries);
}

export function recordedSignature(s: Awaited<ReturnType<typeof q.signaturesOfDocuments>>[number]): RecordedSignature {
  return {
    documentId: s.document_id,
    signerId: s.user_id,
    keyId: s.key_id,
    publicKey: s.public_key,
    certificate: s.certificate,
    certificateSignature: s.certificate_signature,
    message: s.message,
    signature: s.signature,
    signedAt: s.signed_at.toISOString(),
  };
}

/** The case an instance serves, as the lock statement of a command reads it (see HistoryListeners). */
export const caseOfLockedInstance = (instanceId: RawBuilder<string>) =>
  sql<string | null>`select id from cases where instance_id = ${instanceId} limit 1`;
