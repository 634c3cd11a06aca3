import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Gives the changes committed so far, in the order they became visible, the next sequence numbers. One
 * sequencer at a time (advisory lock, taken before the statement's snapshot): every number it hands out is
 * above all handed out before, and a change committed later than one with a higher id simply gets a later one.
 */
export async function sequenceChanges(db: Kysely<DB>, batch = 10_000): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(6962, 31)`.execute(trx);
    const r = await sql`
      WITH base AS (SELECT coalesce(max(seq), 0) AS m FROM export_changes),
      fresh AS (
        SELECT id, row_number() OVER (ORDER BY id) AS rn FROM export_changes WHERE seq IS NULL ORDER BY id LIMIT ${batch}
      )
      UPDATE export_changes c SET seq = base.m + fresh.rn FROM base, fresh WHERE c.id = fresh.id`.execute(trx);
    return Number(r.numAffectedRows ?? 0);
  });
}

export function changesAfter(db: Db, cursor: number, limit: number) {
  return db
    .selectFrom('export_changes')
    .select(['seq', 'entity', 'row_id', 'deleted'])
    .where('seq', '>', cursor)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function headSeq(db: Db): Promise<number> {
  const r = await db.selectFrom('export_changes').select(sql<string | null>`max(seq)`.as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

export function agencies(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db.selectFrom('departments').select(['id', 'code', 'name', 'kind', 'enforcement_staff_count']);
  if (ids) q = q.where('id', 'in', ids);
  if (after) q = q.where('id', '>', after);
  return q
    .orderBy('id')
    .limit(ids ? ids.length : limit)
    .execute();
}

export function officers(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('users')
    .select([
      'id',
      'department_id',
      'display_name',
      'certificate_number',
      'certificate_domain',
      sql<string | null>`to_char(certificate_valid_from, 'YYYY-MM-DD')`.as('valid_from'),
      sql<string | null>`to_char(certificate_valid_until, 'YYYY-MM-DD')`.as('valid_until'),
      'active',
    ])
    .where(sql<boolean>`'officer' = ANY(roles)`);
  if (ids) q = q.where('id', 'in', ids);
  if (after) q = q.where('id', '>', after);
  return q
    .orderBy('id')
    .limit(ids ? ids.length : limit)
    .execute();
}

export function powers(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('agency_powers')
    .select(['id', 'department_id', 'code', 'name', 'category', 'legal_basis', 'implementing_unit']);
  if (ids) q = q.where('id', 'in', ids);
  if (after) q = q.where('id', '>', after);
  return q
    .orderBy('id')
    .limit(ids ? ids.length : limit)
    .execute();
}

export function cases(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('cases')
    .select([
      'id',
      'department_id',
      'case_number',
      'title',
      'category',
      'status',
      'review_mandatory',
      'packet',
      'chief_decision',
      'decision',
      'created_at',
      'updated_at',
    ]);
  if (ids) q = q.where('id', 'in', ids);
  if (after) q = q.where('id', '>', after);
  return q
    .orderBy('id')
    .limit(ids ? ids.length : limit)
    .execute();
}

/** Steps of the process instances that serve cases; other instances' tasks are not exported. */
export function stages(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('tasks as t')
    .innerJoin('cases as c', 'c.instance_id', 't.instance_id')
    .select(['t.id', 'c.id as case_id', 't.name', 't.step', 't.status', 't.due_at', 't.created_at', 't.ended_at']);
  if (ids) q = q.where('t.id', 'in', ids);
  if (after) q = q.where('t.id', '>', after);
  return q
    .orderBy('t.id')
    .limit(ids ? ids.length : limit)
    .execute();
}

export function reviews(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('review_opinions as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select([
      'o.id',
      'o.case_id',
      'o.round',
      'o.kind',
      'o.conclusion',
      'o.reasons',
      'o.findings',
      'o.reviewer_id',
      'o.created_at',
      'c.packet',
    ]);
  if (ids) q = q.where('o.id', 'in', ids);
  if (after) q = q.where('o.id', '>', after);
  return q
    .orderBy('o.id')
    .limit(ids ? ids.length : limit)
    .execute();
}

export function disclosures(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('disclosures')
    .select([
      'id',
      'department_id',
      'case_id',
      'category',
      'decision_number',
      sql<string>`to_char(decision_date, 'YYYY-MM-DD')`.as('decision_date'),
      'party_type',
      'original',
      'redacted',
      'status',
      'due_at',
      'published_at',
    ]);
  if (ids) q = q.where('id', 'in', ids);
  if (after) q = q.where('id', '>', after);
  return q
    .orderBy('id')
    .limit(ids ? ids.length : limit)
    .execute();
}

/** Supervision items with their document's number and, for an item about a case, the case's packet. */
export function supervisionItems(db: Db, ids: string[] | null, after?: string, limit = 500) {
  let q = db
    .selectFrom('supervision_items as s')
    .leftJoin('documents as d', 'd.id', 's.document_id')
    .leftJoin('cases as c', 'c.id', 's.case_id')
    .selectAll('s')
    .select(['d.number as document_number', 'c.packet']);
  if (ids) q = q.where('s.id', 'in', ids);
  if (after) q = q.where('s.id', '>', after);
  return q
    .orderBy('s.id')
    .limit(ids ? ids.length : limit)
    .execute();
}

export function insertConsumer(
  db: Db,
  v: { name: string; token_hash: string; personal_data: boolean; created_by: string },
) {
  return db.insertInto('export_consumers').values(v).returningAll().executeTakeFirstOrThrow();
}

export function listConsumers(db: Db) {
  return db.selectFrom('export_consumers').selectAll().orderBy('created_at').execute();
}

export function consumerByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('export_consumers')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function revokeConsumer(db: Db, id: string, at: Date) {
  return db
    .updateTable('export_consumers')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}
