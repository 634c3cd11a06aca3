import { sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { OutboxRow } from './outbox.js';
import * as q from './queries.js';

/**
 * Durable timers that a capability owns outside any process instance (e.g. a disclosure's legal deadline).
 * They live in the engine's timers table, reach Redis through the engine's one outbox and relay, and are fired
 * by the handler the capability registered for their kind. `owner` names what they belong to (`disclosure`)
 * and `ownerId` which one.
 */
export interface TimerOwner {
  type: string;
  id: string;
}

const executionIdOf = (kind: string, owner: TimerOwner) => `${kind}:${owner.id}`;

/** Schedules timers in the caller's transaction; returns the outbox rows to deliver once it has committed. */
export async function scheduleOwnedTimers(
  trx: Transaction<DB>,
  owner: TimerOwner,
  timers: { kind: string; dueAt: Date }[],
): Promise<OutboxRow[]> {
  if (timers.length === 0) return [];
  const created = await trx
    .insertInto('timers')
    .values(
      timers.map((t) => ({
        // Owned timers have no instance; the table's type is the instance timers'.
        instance_id: null as unknown as string,
        element_id: owner.type,
        execution_id: executionIdOf(t.kind, owner),
        timer_type: t.kind.startsWith(`${owner.type}_`) ? t.kind.slice(owner.type.length + 1) : t.kind,
        kind: t.kind,
        due_at: t.dueAt,
        ended_at: null,
      })),
    )
    .returning(['id', 'due_at'])
    .execute();
  return outboxOf(
    trx,
    created.map((t) => ({ topic: 'timer.schedule', payload: { timerId: t.id, dueAt: t.due_at.toISOString() } })),
  );
}

/** Cancels the owner's pending timers of these kinds; returns the outbox rows that remove their jobs. */
export async function cancelOwnedTimers(
  trx: Transaction<DB>,
  owner: TimerOwner,
  kinds: string[],
): Promise<OutboxRow[]> {
  const open = await trx
    .selectFrom('timers')
    .select('id')
    .where(
      'execution_id',
      'in',
      kinds.map((k) => executionIdOf(k, owner)),
    )
    .where('status', '=', 'pending')
    .execute();
  await closeOwnedTimers(
    trx,
    open.map((t) => t.id),
    'cancelled',
  );
  return outboxOf(
    trx,
    open.map((t) => ({ topic: 'timer.cancel', payload: { timerId: t.id } })),
  );
}

/** The timer as its handler re-reads it, with the id of the owner it belongs to. */
export async function findOwnedTimer(trx: Transaction<DB>, timerId: string) {
  const t = await trx
    .selectFrom('timers')
    .select(['id', 'kind', 'status', 'execution_id'])
    .where('id', '=', timerId)
    .executeTakeFirst();
  return (
    t && { id: t.id, kind: t.kind, status: t.status, ownerId: t.execution_id.slice(t.execution_id.indexOf(':') + 1) }
  );
}

export async function closeOwnedTimers(trx: Transaction<DB>, ids: string[], status: 'fired' | 'cancelled') {
  if (ids.length === 0) return;
  await trx.updateTable('timers').set({ status, ended_at: sql`now()` }).where('id', 'in', ids).execute();
}

async function outboxOf(trx: Transaction<DB>, rows: Omit<OutboxRow, 'id'>[]): Promise<OutboxRow[]> {
  const ids = await q.insertOutbox(trx, rows);
  return rows.map((r, i) => ({ ...r, id: ids[i].id }));
}
