import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { SendResult } from './send.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Earlier events of the same case for the same subscriber that are not delivered yet (pending or dead). */
const earlierOpen = sql<boolean>`EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscriber_id = d.subscriber_id
  AND e.case_id = d.case_id AND e.seq < d.seq AND e.status <> 'delivered')`;

export function insertSubscriber(
  db: Db,
  v: { name: string; url: string; events: string[]; sealed_secret: string; concurrency: number; created_by: string },
) {
  return db.insertInto('webhook_subscribers').values(v).returningAll().executeTakeFirstOrThrow();
}

export function listSubscribers(db: Db) {
  return db.selectFrom('webhook_subscribers').selectAll().orderBy('created_at').execute();
}

export function activeSubscribers(db: Db) {
  return db.selectFrom('webhook_subscribers').selectAll().where('active', '=', true).execute();
}

export function subscriberById(db: Db, id: string) {
  return db.selectFrom('webhook_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function setSubscriberActive(db: Db, id: string, active: boolean) {
  return db.updateTable('webhook_subscribers').set({ active }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Only one fan-out at a time, so a case's later event is never fanned out before an earlier one. */
export async function tryLockFanout(trx: Transaction<DB>): Promise<boolean> {
  const r = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(6962, 8) AS locked`.execute(trx);
  return r.rows[0]?.locked === true;
}

export function outboxBatch(trx: Transaction<DB>, limit: number) {
  return trx
    .selectFrom('webhook_outbox as o')
    .innerJoin('case_records as r', 'r.id', 'o.record_id')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(['o.id', 'o.case_id', 'o.seq', 'r.body', 'r.hash', 'c.case_number', 'c.department_id'])
    .orderBy('o.id')
    .limit(limit)
    .execute();
}

export async function deleteOutbox(trx: Transaction<DB>, ids: number[]) {
  if (ids.length) await trx.deleteFrom('webhook_outbox').where('id', 'in', ids).execute();
}

export async function insertDeliveries(
  trx: Transaction<DB>,
  rows: { subscriber_id: string; event_id: string; event_type: string; case_id: string; seq: number; body: string }[],
) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['subscriber_id', 'event_id']).doNothing())
      .execute();
  }
}

/** Pending deliveries whose case has nothing earlier open for their subscriber: the ones that may go now. */
export function laneHeads(db: Db, opts: { onlyUnqueued: boolean; limit: number }) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscribers as s', 's.id', 'd.subscriber_id')
    .select(['d.id', 'd.subscriber_id'])
    .where('d.status', '=', 'pending')
    .where('s.active', '=', true)
    .where(sql<boolean>`NOT ${earlierOpen}`);
  if (opts.onlyUnqueued) q = q.where('d.enqueued', '=', false);
  return q.orderBy('d.id').limit(opts.limit).execute();
}

export async function markEnqueued(db: Db, ids: number[], enqueued = true) {
  if (ids.length) await db.updateTable('webhook_deliveries').set({ enqueued }).where('id', 'in', ids).execute();
}

/**
 * Takes a delivery for one attempt: it must still be pending, first in its case's line and not held by another
 * attempt; the lease keeps a second copy of the job from sending it at the same time.
 */
export function claim(db: Db, id: number, leaseMs: number) {
  return db
    .updateTable('webhook_deliveries as d')
    .set({ lease_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`, enqueued: true })
    .where('d.id', '=', id)
    .where('d.status', '=', 'pending')
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', sql<Date>`now()`)]))
    .where(sql<boolean>`NOT ${earlierOpen}`)
    .returning(['d.id', 'd.subscriber_id', 'd.event_id', 'd.event_type', 'd.case_id', 'd.seq', 'd.body', 'd.attempts'])
    .executeTakeFirst();
}

/** A job that found its delivery behind an earlier one: it is queued again when it comes first. */
export async function unqueueIfWaiting(db: Db, id: number) {
  await db
    .updateTable('webhook_deliveries as d')
    .set({ enqueued: false })
    .where('d.id', '=', id)
    .where('d.status', '=', 'pending')
    .where(earlierOpen)
    .execute();
}

/**
 * Records an attempt and its outcome: delivered, pending for a retry, or dead after `maxAttempts`. Returns the
 * delivery's new status and, when delivered, the next pending delivery of the same case for the same subscriber.
 */
export async function recordAttempt(db: Kysely<DB>, id: number, r: SendResult, maxAttempts: number) {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: id,
        status_code: r.status,
        response: r.response,
        error: r.error,
        duration_ms: r.durationMs,
      })
      .execute();
    const row = await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: r.ok ? 'delivered' : sql`CASE WHEN attempts + 1 >= ${maxAttempts} THEN 'dead' ELSE 'pending' END`,
        lease_until: null,
        last_status: r.status,
        last_response: r.response,
        last_error: r.error,
        last_attempt_at: sql`now()`,
        ...(r.ok && { delivered_at: sql`now()` }),
      }))
      .where('id', '=', id)
      .returning(['status', 'subscriber_id', 'case_id', 'seq'])
      .executeTakeFirstOrThrow();
    if (row.status !== 'delivered') return { status: row.status, next: undefined };
    const next = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'subscriber_id'])
      .where('subscriber_id', '=', row.subscriber_id)
      .where('case_id', '=', row.case_id)
      .where('status', '=', 'pending')
      .where('seq', '>', row.seq)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (next) await trx.updateTable('webhook_deliveries').set({ enqueued: true }).where('id', '=', next.id).execute();
    return { status: row.status, next };
  });
}

export function deliveriesOf(
  db: Db,
  subscriberId: string,
  opts: { status?: 'pending' | 'delivered' | 'dead'; limit: number; before?: number },
) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .select([
      'd.id',
      'd.event_id',
      'd.event_type',
      'd.case_id',
      'd.seq',
      'd.status',
      'd.attempts',
      'd.last_status',
      'd.last_response',
      'd.last_error',
      'd.last_attempt_at',
      'd.delivered_at',
      'd.created_at',
      sql<boolean>`d.status = 'pending' AND ${earlierOpen}`.as('waiting'),
    ])
    .where('d.subscriber_id', '=', subscriberId);
  if (opts.status) q = q.where('d.status', '=', opts.status);
  if (opts.before) q = q.where('d.id', '<', opts.before);
  return q.orderBy('d.id', 'desc').limit(opts.limit).execute();
}

export function attemptsOf(db: Db, subscriberId: string, deliveryId: number) {
  return db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select(['a.at', 'a.status_code', 'a.response', 'a.error', 'a.duration_ms'])
    .where('a.delivery_id', '=', deliveryId)
    .where('d.subscriber_id', '=', subscriberId)
    .orderBy('a.id')
    .execute();
}

/** Sends a delivery again from the first attempt: a dead letter, or a delivered event the subscriber lost. */
export function resetForReplay(db: Db, subscriberId: string, deliveryId: number) {
  return db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, enqueued: false, lease_until: null, delivered_at: null })
    .where('id', '=', deliveryId)
    .where('subscriber_id', '=', subscriberId)
    .returning(['id', 'status'])
    .executeTakeFirst();
}
