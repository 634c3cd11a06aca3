import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { CalendarService } from '../../calendar/service.js';
import type { Database } from '../../database/connect.js';
import type { DB } from '../../database/schema.js';
import { deliverCommitted, type OutboxRow } from '../../engine/outbox.js';
import {
  cancelOwnedTimers,
  closeOwnedTimers,
  findOwnedTimer,
  scheduleOwnedTimers,
  type TimerOwner,
} from '../../engine/owned-timers.js';
import type { Clock } from '../../infra/clock.js';
import type { JobQueues } from '../../jobs/queues.js';
import * as q from '../queries.js';
import { isoDate } from '../tables.js';
import { recordDisclosureEvent } from './history.js';

/** What the publicity capability needs from its process (the app or a worker). */
export interface PublicityContext {
  db: Database;
  calendar: CalendarService;
  clock: Clock;
  queues: JobQueues;
  log: FastifyBaseLogger;
}

/** The timer kinds publicity keeps and fires itself (registered with the engine at assembly). */
export const DISCLOSURE_TIMER_KINDS: readonly q.DisclosureTimerKind[] = [
  'disclosure_reminder',
  'disclosure_deadline',
  'disclosure_retention',
];

function isDisclosureTimer(kind: string): kind is q.DisclosureTimerKind {
  return (DISCLOSURE_TIMER_KINDS as readonly string[]).includes(kind);
}

type Outcome = { kind: 'fired' } | { kind: 'stale'; reason: string };

/** Timer changes a transaction made (already in the engine's outbox), to hand to Redis once it has committed. */
export type TimerEffects = OutboxRow[];

export const noTimerEffects = (): TimerEffects => [];

const ownerOf = (disclosureId: string): TimerOwner => ({ type: 'disclosure', id: disclosureId });

/** Schedules a disclosure's timers through the engine's owned timers. */
export async function scheduleDisclosureTimers(
  trx: Transaction<DB>,
  disclosureId: string,
  timers: { kind: q.DisclosureTimerKind; dueAt: Date }[],
  effects: TimerEffects,
) {
  effects.push(...(await scheduleOwnedTimers(trx, ownerOf(disclosureId), timers)));
}

/** Cancels a disclosure's pending timers of the given kinds; their jobs are removed after the commit. */
export async function cancelDisclosureTimers(
  trx: Transaction<DB>,
  disclosureId: string,
  kinds: q.DisclosureTimerKind[],
  effects: TimerEffects,
) {
  effects.push(...(await cancelOwnedTimers(trx, ownerOf(disclosureId), kinds)));
}

/** After the commit: the engine's delivery; what fails here is left to its relay. */
export async function deliverTimerEffects(ctx: PublicityContext, effects: TimerEffects) {
  await deliverCommitted(ctx, effects).catch((err) =>
    ctx.log.warn({ err }, 'disclosure timer delivery deferred to relay'),
  );
}

/**
 * A disclosure timer came due (dispatched by the runtime's `timer.fire`). Re-reads everything under the
 * disclosure's row lock and does nothing if the deadline no longer applies: a reminder or deadline of a
 * disclosure already published, or cancelled because a 复议 or court corrected the decision before publication
 * (`withdrawal-required.ts`); a retention take-down of one already withdrawn.
 */
export async function fireDisclosureTimer(ctx: PublicityContext, timerId: string): Promise<Outcome> {
  return ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    const timer = await findOwnedTimer(trx, timerId);
    if (timer?.status !== 'pending' || !isDisclosureTimer(timer.kind))
      return { kind: 'stale', reason: timer?.status ?? 'missing' };
    const disclosureId = timer.ownerId;
    const d = await q.lockDisclosure(trx, disclosureId);
    const fresh = await findOwnedTimer(trx, timerId);
    if (!d || fresh?.status !== 'pending') return { kind: 'stale', reason: 'changed' };
    const now = ctx.clock.now();
    const applies = timer.kind === 'disclosure_retention' ? d.status === 'published' : d.status === 'pending';
    await closeOwnedTimers(trx, [timerId], applies ? 'fired' : 'cancelled');
    if (!applies) return { kind: 'stale', reason: d.status };
    const event = (type: string, payload: Record<string, unknown> = {}) =>
      recordDisclosureEvent(trx, d, { type, actorId: null, payload, at: now });
    if (timer.kind === 'disclosure_reminder') {
      await q.updateDisclosure(trx, disclosureId, { reminded_at: now });
      await event('disclosure.reminded', { dueAt: d.due_at.toISOString() });
    } else if (timer.kind === 'disclosure_deadline') {
      await q.updateDisclosure(trx, disclosureId, { overdue_at: now });
      await event('disclosure.overdue', { dueAt: d.due_at.toISOString() });
    } else {
      const reason = '公开期限届满，自动撤下';
      await q.updateDisclosure(trx, disclosureId, {
        status: 'expired',
        withdrawn_at: now,
        withdrawn_by: null,
        withdrawal_reason: reason,
      });
      await event('disclosure.expired', { reason, retentionUntil: isoDate(d.retention_until) });
    }
    return { kind: 'fired' };
  });
}
