import { sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { timerJobId } from '../jobs/catalogue.js';
import type { RuntimeContext } from './context.js';

/** What delivering needs: any process's context has it (the engine's, or a capability's with its own timers). */
export type OutboxContext = Pick<RuntimeContext, 'db' | 'queues' | 'clock' | 'log'>;

export interface OutboxRow {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
}

async function deliverOne(ctx: OutboxContext, row: OutboxRow): Promise<void> {
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
 * Right after a command commits: hands its side effects to Redis from memory and deletes their rows. If the
 * process dies in between, the rows stay and the relay delivers them; delivery is idempotent (job ids).
 */
export async function deliverCommitted(
  ctx: OutboxContext,
  rows: OutboxRow[],
  /** Effects with no outbox row, which the reconciler restores if lost (see DURABLE_DELIVERY_HORIZON_MS). */
  direct: Omit<OutboxRow, 'id'>[] = [],
): Promise<void> {
  // Redis away: the rows wait in PostgreSQL for the relay; the command's answer does not wait for Redis.
  if ((rows.length === 0 && direct.length === 0) || !(await ctx.queues.ready())) return;
  // One round trip for all, not one after the other (a step's usual pair: the old timer's job removed, the new
  // one's added); effects on the same timer keep their order.
  const byTimer = new Map<string, Omit<OutboxRow, 'id'>[]>();
  for (const row of [...rows, ...direct]) {
    const key = String(row.payload.timerId);
    byTimer.set(key, [...(byTimer.get(key) ?? []), row]);
  }
  await Promise.all(
    [...byTimer.values()].map(async (effects) => {
      for (const row of effects) await deliverOne(ctx, { id: 0, ...row });
    }),
  );
  if (rows.length === 0) return;
  await ctx.db
    .deleteFrom('outbox')
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
}

/**
 * The worker's relay: delivers entries that a crash left behind (older than a few seconds, so that it does not
 * race the command that wrote them). SKIP LOCKED keeps two relays from delivering the same entry at once.
 */
export async function deliverOutbox(ctx: RuntimeContext): Promise<number> {
  if (!(await ctx.queues.ready(0))) return 0;
  return ctx.db.transaction().execute(async (trx) => {
    const rows = (await trx
      .selectFrom('outbox')
      .select(['id', 'topic', 'payload'])
      .where('created_at', '<', sql<Date>`now() - interval '2 seconds'`)
      .orderBy('id')
      .limit(500)
      .forUpdate()
      .skipLocked()
      .execute()) as OutboxRow[];
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

/**
 * Changes each of `ids` in a transaction of its own (e.g. a deadline recounted once its year's holidays are loaded)
 * and delivers the timer effects each committed; `change` says whether it changed anything. Returns how many did.
 */
export async function changeEach(
  ctx: OutboxContext,
  ids: readonly string[],
  change: (trx: Transaction<DB>, id: string, effects: OutboxRow[]) => Promise<boolean>,
  what: string,
): Promise<number> {
  let changed = 0;
  for (const id of ids) {
    const effects: OutboxRow[] = [];
    if (!(await ctx.db.transaction().execute((trx) => change(trx, id, effects)))) continue;
    changed++;
    await deliverCommitted(ctx, effects).catch((err) => ctx.log.warn({ err }, `${what} timer deferred to relay`));
  }
  return changed;
}
