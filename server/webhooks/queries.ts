import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { SendResult } from './send.js';
import type { DeliveryStatus } from './tables.js';

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
  return (
    trx
      .selectFrom('webhook_outbox as o')
      // Left joins: an entry whose record a superuser removed is dropped, not left to block the outbox.
      .leftJoin('case_records as r', 'r.id', 'o.record_id')
      .leftJoin('cases as c', 'c.id', 'o.case_id')
      .select(['o.id', 'o.case_id', 'o.seq', 'r.body', 'r.hash', 'c.case_number', 'c.department_id'])
      .orderBy('o.id')
      .limit(limit)
      .execute()
  );
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
    .returning(['d.id', 'd.subscriber_id', 'd.event_id', 'd.event_type', 'd.body'])
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
 * Records an attempt and its outcome in one statement: the attempt's row, the delivery delivered, pending for a
 * retry, or dead after `maxAttempts`, and, when delivered, the next pending delivery of the same case for the
 * same subscriber marked queued (the caller queues it).
 */
export async function recordAttempt(
  db: Db,
  id: number,
  r: SendResult,
  opts: { maxAttempts: number; claimNextMs: number | null },
) {
  const claimNext = opts.claimNextMs !== null;
  const leaseSecs = (opts.claimNextMs ?? 0) / 1000;
  const result = await sql<{
    status: DeliveryStatus;
    next_id: string | null;
    next_subscriber: string | null;
    next_event: string | null;
    next_type: string | null;
    next_body: string | null;
  }>`
    WITH attempt AS (
      INSERT INTO webhook_attempts (delivery_id, status_code, response, error, duration_ms)
      VALUES (${id}, ${r.status}, ${r.response}, ${r.error}, ${r.durationMs})
    ),
    done AS (
      UPDATE webhook_deliveries SET
        attempts = attempts + 1,
        status = CASE WHEN ${r.ok} THEN 'delivered' WHEN attempts + 1 >= ${opts.maxAttempts} THEN 'dead' ELSE 'pending' END,
        lease_until = NULL,
        last_status = ${r.status},
        last_response = ${r.response},
        last_error = ${r.error},
        last_attempt_at = now(),
        delivered_at = CASE WHEN ${r.ok} THEN now() ELSE delivered_at END
      WHERE id = ${id}
      RETURNING status, subscriber_id, case_id, seq
    ),
    next AS (
      SELECT d.id, d.subscriber_id, d.event_id, d.event_type, d.body FROM webhook_deliveries d, done
      WHERE done.status = 'delivered' AND d.subscriber_id = done.subscriber_id AND d.case_id = done.case_id
        AND d.status = 'pending' AND d.seq > done.seq
        AND (d.lease_until IS NULL OR d.lease_until < now())
      ORDER BY d.seq LIMIT 1
    ),
    queued AS (
      UPDATE webhook_deliveries SET enqueued = true,
        lease_until = CASE WHEN ${claimNext} THEN now() + make_interval(secs => ${leaseSecs}) ELSE lease_until END
      FROM next WHERE webhook_deliveries.id = next.id
    )
    SELECT done.status, next.id AS next_id, next.subscriber_id AS next_subscriber, next.event_id AS next_event,
      next.event_type AS next_type, next.body AS next_body
    FROM done LEFT JOIN next ON true`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`delivery ${id} is gone`);
  if (!row.next_id || !row.next_subscriber) return { status: row.status, next: undefined };
  return {
    status: row.status,
    next: {
      id: Number(row.next_id),
      subscriber_id: row.next_subscriber,
      event_id: row.next_event ?? '',
      event_type: row.next_type ?? '',
      body: row.next_body ?? '',
      /** Leased for the caller, which sends it next without queueing it. */
      claimed: claimNext,
    },
  };
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
