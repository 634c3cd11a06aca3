import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import type { Clock } from '../infra/clock.js';
import { timerJobId } from '../jobs/catalogue.js';
import type { JobQueues } from '../jobs/queues.js';
import { recordDisclosureEvent } from './history.js';
import * as q from './queries.js';
import { isoDate } from './tables.js';

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

/** Timer changes a transaction made, to hand to Redis once it has committed. */
export interface TimerEffects {
  schedule: { id: string; dueAt: Date }[];
  cancel: string[];
}

export const noTimerEffects = (): TimerEffects => ({ schedule: [], cancel: [] });

/** Writes the effects as outbox rows in the transaction (the worker's relay delivers what we do not). */
export async function recordTimerEffects(trx: Transaction<DB>, e: TimerEffects) {
  const rows = [
    ...e.schedule.map((t) => ({ topic: 'timer.schedule', payload: { timerId: t.id, dueAt: t.dueAt.toISOString() } })),
    ...e.cancel.map((id) => ({ topic: 'timer.cancel', payload: { timerId: id } })),
  ];
  return (await q.insertOutbox(trx, rows)).map((r) => r.id);
}

/** Cancels a disclosure's pending timers of the given kinds; their jobs are removed after the commit. */
export async function cancelDisclosureTimers(
  trx: Transaction<DB>,
  disclosureId: string,
  kinds: q.DisclosureTimerKind[],
  effects: TimerEffects,
) {
  const open = await q.pendingDisclosureTimers(trx, disclosureId, kinds);
  await q.closeDisclosureTimers(
    trx,
    open.map((t) => t.id),
    'cancelled',
  );
  effects.cancel.push(...open.map((t) => t.id));
}

/** After the commit: enqueue / remove the jobs and drop the outbox rows. Failures are left to the relay. */
export async function deliverTimerEffects(ctx: PublicityContext, e: TimerEffects, outboxIds: number[]) {
  try {
    const now = ctx.clock.now().getTime();
    for (const t of e.schedule) {
      await ctx.queues.enqueue(
        'timer.fire',
        { timerId: t.id },
        { jobId: timerJobId(t.id), delayMs: t.dueAt.getTime() - now },
      );
    }
    for (const id of e.cancel) await ctx.queues.remove('timer.fire', timerJobId(id));
    if (outboxIds.length) await ctx.db.deleteFrom('outbox').where('id', 'in', outboxIds).execute();
  } catch (err) {
    ctx.log.warn({ err }, 'disclosure timer delivery deferred to relay');
  }
}

/**
 * A disclosure timer came due (dispatched by the runtime's `timer.fire`). Re-reads everything under the
 * disclosure's row lock and does nothing if the deadline no longer applies: a reminder or deadline of a
 * disclosure already published, a retention take-down of one already withdrawn.
 */
export async function fireDisclosureTimer(ctx: PublicityContext, timerId: string): Promise<Outcome> {
  return ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    const timer = await trx
      .selectFrom('timers')
      .select(['id', 'kind', 'status', 'execution_id'])
      .where('id', '=', timerId)
      .executeTakeFirst();
    if (timer?.status !== 'pending' || !isDisclosureTimer(timer.kind))
      return { kind: 'stale', reason: timer?.status ?? 'missing' };
    const disclosureId = timer.execution_id.slice(timer.execution_id.indexOf(':') + 1);
    const d = await q.lockDisclosure(trx, disclosureId);
    const fresh = await trx.selectFrom('timers').select('status').where('id', '=', timerId).executeTakeFirst();
    if (!d || fresh?.status !== 'pending') return { kind: 'stale', reason: 'changed' };
    const now = ctx.clock.now();
    const applies = timer.kind === 'disclosure_retention' ? d.status === 'published' : d.status === 'pending';
    await q.closeDisclosureTimers(trx, [timerId], applies ? 'fired' : 'cancelled');
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
