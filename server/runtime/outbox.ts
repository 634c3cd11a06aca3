import { sql } from 'kysely';
import { timerJobId } from '../jobs/catalogue.js';
import type { RuntimeContext } from './context.js';

interface OutboxRow {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
}

async function deliverOne(ctx: RuntimeContext, row: OutboxRow): Promise<void> {
  const timerId = String(row.payload.timerId);
  switch (row.topic) {
    case 'timer.schedule': {
      const dueAt = new Date(String(row.payload.dueAt));
      await ctx.queues.enqueue(
        'timer.fire',
        { timerId },
        { jobId: timerJobId(timerId), delayMs: dueAt.getTime() - ctx.clock.now().getTime() },
      );
      return;
    }
    case 'timer.cancel':
      await ctx.queues.remove('timer.fire', timerJobId(timerId));
      return;
    default:
      ctx.log.warn({ topic: row.topic }, 'outbox entry with unknown topic dropped');
  }
}

/**
 * Hands committed side effects to Redis and deletes them. Called right after a command commits, and by the
 * worker's relay loop for entries a crash left behind. Rows are locked with SKIP LOCKED so two relays never
 * deliver the same entry at once; delivery is idempotent anyway (predictable job ids).
 */
export async function deliverOutbox(ctx: RuntimeContext, ids?: number[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  return ctx.db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('outbox').select(['id', 'topic', 'payload']).orderBy('id').limit(500);
    if (ids) query = query.where('id', 'in', ids);
    else query = query.where('created_at', '<', sql<Date>`now() - interval '2 seconds'`);
    const rows = (await query.forUpdate().skipLocked().execute()) as OutboxRow[];
    for (const row of rows) await deliverOne(ctx, row);
    if (rows.length) {
      await trx
        .deleteFrom('outbox')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    }
    return rows.length;
  });
}
