import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { recordCaseEvent } from './append.js';
import type { RecordBody } from './chain.js';
import * as q from './queries.js';
import { checkpointView, consistencyProof, inclusionPath, rootAt } from './tree.js';

/** A case's record as the API shows it: everything from the hashed body, plus its place in chain and tree. */
export async function caseRecord(db: Kysely<DB>, caseId: string) {
  const rows = await q.recordsOfCase(db, caseId);
  return rows.map((r) => {
    const b = JSON.parse(r.body) as RecordBody;
    return {
      recordId: Number(r.id),
      seq: r.seq,
      at: b.at,
      type: b.type,
      actorId: b.actorId,
      payload: b.payload,
      files: b.files,
      signatures: b.signatures ?? [],
      prevHash: r.prev_hash,
      hash: r.hash,
      leafIndex: r.leaf_index === null ? null : Number(r.leaf_index),
    };
  });
}

/**
 * 可实时调阅: a supervisor's read of a case's record is itself recorded in that record (through the instance
 * history when the case has a process, so it shows on the timeline too).
 */
export async function recordSupervisorAccess(
  history: HistoryListeners,
  db: Kysely<DB>,
  actor: Actor,
  c: { id: string; instance_id: string | null },
  what: string | null,
  at: Date,
) {
  if (!actor.roles.includes('supervisor')) return;
  const payload = what === null ? { caseId: c.id } : { caseId: c.id, what };
  await db
    .transaction()
    .execute((trx) =>
      recordCaseEvent(history, trx, c, { type: 'case.viewed_by_supervisor', actorId: actor.id, payload, at }),
    );
}

/** The inclusion proof of a case's record in the tree of `treeSize` leaves (default: the latest checkpoint). */
export async function inclusionProof(db: Kysely<DB>, caseId: string, seq: number, treeSize?: number) {
  const record = (await q.recordsOfCase(db, caseId)).find((r) => r.seq === seq);
  if (!record) throw new AppError(404, 'NOT_FOUND', `案件记录第 ${seq} 条不存在`);
  const checkpoint = treeSize === undefined ? await q.latestCheckpoint(db) : await q.checkpointOfSize(db, treeSize);
  const size = treeSize ?? (checkpoint ? Number(checkpoint.tree_size) : 0);
  if (record.leaf_index === null || Number(record.leaf_index) >= size) {
    throw new AppError(
      409,
      'CONFLICT',
      `第 ${seq} 条记录尚未进入${treeSize === undefined ? '最新' : '该'}检查点，请在下一个检查点之后再取证明`,
    );
  }
  if (size > (await q.treeSize(db))) throw new AppError(404, 'NOT_FOUND', `Merkle 树还没有 ${size} 个叶子`);
  return {
    recordId: Number(record.id),
    seq,
    recordHash: record.hash,
    leafIndex: Number(record.leaf_index),
    treeSize: size,
    root: checkpoint?.root ?? (await rootAt(db, size)),
    auditPath: await inclusionPath(db, Number(record.leaf_index), size),
    checkpoint: checkpoint ? checkpointView(checkpoint) : null,
  };
}

/** The consistency proof between two checkpoints (public: it reveals only hashes). */
export async function consistencyBetween(db: Kysely<DB>, from: number, to: number) {
  if (from < 1 || from > to) throw new AppError(400, 'BAD_REQUEST', '须满足 1 ≤ from ≤ to');
  const [a, b] = await Promise.all([q.checkpointOfSize(db, from), q.checkpointOfSize(db, to)]);
  if (!a || !b) throw new AppError(404, 'NOT_FOUND', '两个树大小都须是已签名检查点的大小');
  return { from, to, fromRoot: a.root, toRoot: b.root, proof: await consistencyProof(db, from, to) };
}
