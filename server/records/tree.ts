import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { canonicalJson } from './canonical.js';
import {
  CompactTree,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  type NodeId,
  nodesFor,
  perfectNodes,
  rangeHash,
} from './merkle.js';
import * as q from './queries.js';
import type { SystemKey } from './system-key.js';
import type { CheckpointRow } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

const lookup = (nodes: Map<string, Buffer>) => (id: NodeId) => {
  const h = nodes.get(`${id.level}:${id.idx}`);
  if (!h) throw new Error(`Merkle 树缺少节点 ${id.level}:${id.idx}`);
  return h;
};

/** What a checkpoint signs: the tree at one size, when, and by which key. */
export interface CheckpointBody {
  v: 1;
  origin: 'fashen/case-records';
  treeSize: number;
  root: string;
  at: string;
  keyId: string;
}

/**
 * The sequencer: gives every committed record not yet in the tree the next leaf index, stores the perfect
 * subtrees that completes, and signs a checkpoint of the new size. One runs at a time (advisory lock); a
 * record committed while it ran is picked up by the next run.
 */
export async function sequenceAndCheckpoint(
  db: Kysely<DB>,
  key: SystemKey,
  now: Date,
  batch = 50_000,
): Promise<{ added: number; checkpoint: CheckpointRow }> {
  return db.transaction().execute(async (trx) => {
    await q.lockTree(trx);
    const size = await q.treeSize(trx);
    const fresh = await q.unsequencedRecords(trx, batch);
    const latest = await q.latestCheckpoint(trx);
    if (fresh.length === 0 && latest && Number(latest.tree_size) === size) return { added: 0, checkpoint: latest };
    const tree = CompactTree.resume(size, lookup(await q.nodesByIds(trx, perfectNodes(0, size))));
    const leaves: { leaf_index: number; record_id: number; case_id: string; seq: number }[] = [];
    const nodes: { level: number; idx: number; hash: string }[] = [];
    for (const r of fresh) {
      leaves.push({ leaf_index: tree.size, record_id: Number(r.id), case_id: r.case_id, seq: r.seq });
      for (const n of tree.append(leafHash(Buffer.from(r.hash, 'hex')))) {
        nodes.push({ level: n.level, idx: n.idx, hash: n.hash.toString('hex') });
      }
    }
    await q.insertLeavesAndNodes(trx, leaves, nodes);
    const body: CheckpointBody = {
      v: 1,
      origin: 'fashen/case-records',
      treeSize: tree.size,
      root: tree.root().toString('hex'),
      at: now.toISOString(),
      keyId: key.keyId,
    };
    const text = canonicalJson(body);
    const checkpoint = await q.insertCheckpoint(trx, {
      tree_size: body.treeSize,
      root: body.root,
      body: text,
      key_id: key.keyId,
      signature: key.sign(text),
      created_at: now,
    });
    return { added: fresh.length, checkpoint };
  });
}

/** The audit path of one leaf in the tree of `size` leaves, leaf upwards, as hex. */
export async function inclusionPath(db: Db, leafIndex: number, size: number): Promise<string[]> {
  const ranges = inclusionRanges(leafIndex, 0, size);
  const get = lookup(await q.nodesByIds(db, nodesFor(ranges)));
  return ranges.map(([lo, hi]) => rangeHash(lo, hi, get).toString('hex'));
}

/** The RFC 6962 consistency proof between the trees of `from` and `to` leaves, as hex. */
export async function consistencyProof(db: Db, from: number, to: number): Promise<string[]> {
  const ranges = consistencyRanges(from, to);
  const get = lookup(await q.nodesByIds(db, nodesFor(ranges)));
  return ranges.map(([lo, hi]) => rangeHash(lo, hi, get).toString('hex'));
}

/** The root of the tree of `size` leaves from the stored nodes (for a size no checkpoint was made at). */
export async function rootAt(db: Db, size: number): Promise<string> {
  const get = lookup(await q.nodesByIds(db, perfectNodes(0, size)));
  return rangeHash(0, size, get).toString('hex');
}

export function checkpointView(c: CheckpointRow) {
  return {
    treeSize: Number(c.tree_size),
    root: c.root,
    at: c.created_at.toISOString(),
    keyId: c.key_id,
    body: c.body,
    signature: c.signature,
  };
}
