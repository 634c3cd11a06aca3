import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { WebhookContext } from './context.js';
import * as q from './queries.js';

/** Whether a subscriber's event patterns take a type: `*`, the type itself, or a prefix such as `task.*`. */
export function matches(patterns: string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** The id a subscriber de-duplicates by: the same for every attempt, replay and subscriber. */
export const eventId = (caseId: string, seq: number) => `${caseId}:${seq}`;

/**
 * Turns committed case records into deliveries, one per subscriber that takes the event's type. One fan-out
 * runs at a time (advisory lock); the outbox rows go in the same transaction as the deliveries are written.
 */
export async function fanOut(ctx: Pick<WebhookContext, 'db'>, batch = 1000): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await q.tryLockFanout(trx))) return 0;
    const rows = await q.outboxBatch(trx, batch);
    if (rows.length === 0) return 0;
    // Stopped subscribers too: their events wait, and go in order once the admin starts them again.
    const subscribers = await q.listSubscribers(trx);
    const deliveries = rows.flatMap((r) => {
      if (r.body === null || r.hash === null) return [];
      const record = JSON.parse(r.body) as {
        at: string;
        actorId: string | null;
        type: string;
        payload: Record<string, unknown>;
      };
      const id = eventId(r.case_id, r.seq);
      const body = JSON.stringify({
        id,
        type: record.type,
        occurredAt: record.at,
        case: { id: r.case_id, number: r.case_number, agencyId: r.department_id },
        seq: r.seq,
        actorId: record.actorId,
        recordHash: r.hash,
        data: record.payload,
      });
      return subscribers
        .filter((s) => matches(s.events, record.type))
        .map((s) => ({
          subscriber_id: s.id,
          event_id: id,
          event_type: record.type,
          case_id: r.case_id,
          seq: r.seq,
          body,
        }));
    });
    await q.insertDeliveries(trx, deliveries);
    await q.deleteOutbox(
      trx,
      rows.map((r) => r.id),
    );
    return rows.length;
  });
}

/** An event that is not a case record (e.g. a department's flow or catalogue changed), with its own lane. */
export interface LaneEvent {
  /** Orders the lane's events for each subscriber, as a case does for its records. */
  laneId: string;
  seq: number;
  type: string;
  occurredAt: Date;
  actorId: string | null;
  /** Who the event is about, instead of a case. */
  subject: Record<string, unknown>;
  data: Record<string, unknown>;
}

/**
 * Writes the deliveries of an event that is not a case record, in the caller's transaction (so it exists
 * exactly when the act it tells of committed). The dispatcher sends them like any other delivery.
 */
export async function enqueueLaneEvent(trx: Transaction<DB>, event: LaneEvent): Promise<number> {
  const subscribers = await q.listSubscribers(trx);
  const id = eventId(event.laneId, event.seq);
  const body = JSON.stringify({
    id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    ...event.subject,
    seq: event.seq,
    actorId: event.actorId,
    data: event.data,
  });
  const rows = subscribers
    .filter((s) => matches(s.events, event.type))
    .map((s) => ({
      subscriber_id: s.id,
      event_id: id,
      event_type: event.type,
      case_id: event.laneId,
      seq: event.seq,
      body,
    }));
  await q.insertDeliveries(trx, rows);
  return rows.length;
}
