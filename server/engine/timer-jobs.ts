import type { Job } from 'bullmq';
import { DelayedError } from 'bullmq';
import { sql } from 'kysely';
import { timerJobId } from '../jobs/catalogue.js';
import type { RuntimeContext } from './context.js';
import { fireTimer } from './instances.js';

/** BullMQ processor for `timer.fire`: thin, the service re-reads the database and decides. */
export async function handleTimerJob(ctx: RuntimeContext, job: Job<{ timerId: string }>, token?: string) {
  const outcome = await fireTimer(ctx, job.data.timerId);
  if (outcome.kind === 'early' && token) {
    // Delivered before its due time (clock skew, or an old job for a re-armed timer): wait again.
    await job.moveToDelayed(outcome.dueAt.getTime(), token);
    throw new DelayedError();
  }
  return outcome;
}

/**
 * PostgreSQL holds every deadline; this re-creates the BullMQ job of each pending timer. Job ids are
 * predictable, so a job that still exists is left alone (checked first, so that a run does not run BullMQ's add
 * script for each), and one lost (Redis restarted or flushed) comes back. With `horizonMs`, only the timers due
 * before now + horizonMs are checked: a worker running this every interval with a horizon longer than the
 * interval re-creates each lost job before it falls due, without going over 100,000 far deadlines every minute.
 */
export async function reconcileTimers(ctx: RuntimeContext, batchSize = 500, horizonMs?: number): Promise<number> {
  if (!(await ctx.queues.ready())) return 0;
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  const until = horizonMs === undefined ? null : new Date(ctx.clock.now().getTime() + horizonMs);
  for (;;) {
    let query = ctx.db
      .selectFrom('timers')
      .select(['id', 'due_at'])
      .where('status', '=', 'pending')
      .where('id', '>', after);
    if (until) query = query.where('due_at', '<', until);
    const rows = await query.orderBy('id').limit(batchSize).execute();
    if (rows.length === 0) return total;
    const now = ctx.clock.now().getTime();
    await ctx.queues.enqueueMissing(
      'timer.fire',
      rows.map((r) => ({ payload: { timerId: r.id }, jobId: timerJobId(r.id), delayMs: r.due_at.getTime() - now })),
    );
    total += rows.length;
    after = rows[rows.length - 1].id;
  }
}

/** Overdue pending timers: a gauge for health and tests (should stay near zero while a worker runs). */
export async function countOverdueTimers(ctx: RuntimeContext, graceSeconds = 30): Promise<number> {
  const row = await ctx.db
    .selectFrom('timers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .where('due_at', '<', sql<Date>`now() - make_interval(secs => ${graceSeconds})`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
