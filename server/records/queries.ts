import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { NodeId } from './merkle.js';

type Db = Kysely<DB> | Transaction<DB>;

/** One writer per case chain at a time; other cases append in parallel. Held until the transaction ends. */
export async function lockCaseChain(trx: Transaction<DB>, caseId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${caseId}, 6962))`.execute(trx);
}

/** One sequencer for the global tree at a time. */
export async function lockTree(trx: Transaction<DB>) {
  await sql`SELECT pg_advisory_xact_lock(6962, 32905)`.execute(trx);
}

export function chainHead(trx: Transaction<DB>, caseId: string) {
  return trx
    .selectFrom('case_records')
    .select(['seq', 'hash'])
    .where('case_id', '=', caseId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertRecords(
  trx: Transaction<DB>,
  rows: { case_id: string; seq: number; body: string; prev_hash: string; hash: string }[],
) {
  return trx.insertInto('case_records').values(rows).returning(['id', 'seq', 'hash']).execute();
}

export function signaturesOfDocuments(db: Db, documentIds: string[]) {
  if (documentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('document_signatures as s')
    .innerJoin('user_signing_keys as k', 'k.key_id', 's.key_id')
    .select([
      's.document_id',
      's.user_id',
      's.key_id',
      's.message',
      's.signature',
      's.signed_at',
      'k.public_key',
      'k.certificate',
      'k.certificate_signature',
    ])
    .where('s.document_id', 'in', documentIds)
    .execute();
}

export function recordsOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('case_records as r')
    .leftJoin('record_leaves as l', 'l.record_id', 'r.id')
    .select(['r.id', 'r.case_id', 'r.seq', 'r.body', 'r.prev_hash', 'r.hash', 'l.leaf_index'])
    .where('r.case_id', '=', caseId)
    .orderBy('r.seq')
    .execute();
}

/** Length and head hash of each case's chain; a case with no record is left out. */
export function chainHeadsOfCases(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_records')
    .select([
      'case_id',
      sql<number>`count(*)::int`.as('records'),
      sql<string>`(array_agg(hash ORDER BY seq DESC))[1]`.as('head_hash'),
    ])
    .where('case_id', 'in', caseIds)
    .groupBy('case_id')
    .execute();
}

/** Leaves the tree holds for a case: a sequenced record that is gone from the chain still shows here. */
export function leavesOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('record_leaves')
    .select(['leaf_index', 'record_id', 'seq'])
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
}

export function treeSize(db: Db) {
  return db
    .selectFrom('record_leaves')
    .select(sql<number>`coalesce(max(leaf_index) + 1, 0)::bigint`.as('size'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.size));
}

/** Records not yet in the tree, oldest first. Later commits of lower ids are picked up by a later run. */
export function unsequencedRecords(trx: Transaction<DB>, limit: number) {
  return trx
    .selectFrom('case_records as r')
    .select(['r.id', 'r.case_id', 'r.seq', 'r.hash'])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('record_leaves as l').select('l.leaf_index').whereRef('l.record_id', '=', 'r.id'))),
    )
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export async function nodesByIds(db: Db, ids: NodeId[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db
      .selectFrom('record_tree_nodes')
      .select(['level', 'idx', 'hash'])
      .where(
        sql<boolean>`(level, idx) IN (${sql.join(chunk.map((n) => sql`(${n.level}::smallint, ${n.idx}::bigint)`))})`,
      )
      .execute();
    for (const r of rows) out.set(`${r.level}:${Number(r.idx)}`, Buffer.from(r.hash, 'hex'));
  }
  return out;
}

export async function insertLeavesAndNodes(
  trx: Transaction<DB>,
  leaves: { leaf_index: number; record_id: number; case_id: string; seq: number }[],
  nodes: { level: number; idx: number; hash: string }[],
) {
  for (let i = 0; i < leaves.length; i += 5000) {
    await trx
      .insertInto('record_leaves')
      .values(leaves.slice(i, i + 5000))
      .execute();
  }
  for (let i = 0; i < nodes.length; i += 5000) {
    await trx
      .insertInto('record_tree_nodes')
      .values(nodes.slice(i, i + 5000))
      .execute();
  }
}

export function latestCheckpoint(db: Db) {
  return db.selectFrom('record_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
}

export function checkpointOfSize(db: Db, size: number) {
  return db.selectFrom('record_checkpoints').selectAll().where('tree_size', '=', size).executeTakeFirst();
}

export function listCheckpoints(db: Db, opts: { limit: number; offset: number }) {
  return db
    .selectFrom('record_checkpoints')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

export function insertCheckpoint(
  trx: Transaction<DB>,
  row: { tree_size: number; root: string; body: string; key_id: string; signature: string; created_at: Date },
) {
  return trx.insertInto('record_checkpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export function currentUserKey(db: Db, userId: string) {
  return db
    .selectFrom('user_signing_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function insertUserKey(
  trx: Transaction<DB>,
  row: {
    key_id: string;
    user_id: string;
    public_key: string;
    sealed_private_key: string;
    certificate: string;
    certificate_signature: string;
    created_at: Date;
  },
) {
  return trx
    .insertInto('user_signing_keys')
    .values(row)
    .onConflict((oc) => oc.column('user_id').where('revoked_at', 'is', null).doNothing())
    .execute();
}

export function insertDocumentSignature(
  trx: Transaction<DB>,
  row: { document_id: string; user_id: string; key_id: string; message: string; signature: string; signed_at: Date },
) {
  return trx.insertInto('document_signatures').values(row).execute();
}
