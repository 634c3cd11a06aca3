import { sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { EngineError } from './errors.js';
import { appendHistory } from './history.js';
import type { OutboxRow } from './outbox.js';
import * as q from './queries.js';
import type { HistoryListeners } from './registry.js';
import type { WarmEngines } from './warm-engines.js';

/**
 * Ends a running instance that a new one replaces (a case sent back to review as a new round restarts its flow):
 * its open tasks are cancelled, its pending timers too, and its history says why. In the caller's transaction;
 * returns the outbox rows that remove the timers' jobs once it has committed (their handlers find them
 * cancelled anyway).
 */
export async function supersedeInstance(
  ctx: { history: HistoryListeners; warm?: WarmEngines },
  trx: Transaction<DB>,
  instanceId: string,
  actorId: string | null,
  payload: Record<string, unknown>,
): Promise<OutboxRow[]> {
  const row = await q.lockInstance(trx, instanceId);
  // Its version moves on, so a warm engine would never match again; forget it now rather than at eviction.
  ctx.warm?.drop(instanceId);
  if (!row) throw new EngineError('not_found', 'INSTANCE_NOT_FOUND', '流程实例不存在');
  if (row.status !== 'running') {
    throw new EngineError('conflict', 'INSTANCE_NOT_RUNNING', `流程实例当前状态为 ${row.status}，不能执行此操作`, {
      status: row.status,
    });
  }
  await trx
    .updateTable('tasks')
    .set({ status: 'cancelled', ended_at: sql`now()` })
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .execute();
  const timers = await trx
    .updateTable('timers')
    .set({ status: 'cancelled', ended_at: sql`now()` })
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  await trx
    .updateTable('process_instances')
    .set({ status: 'completed', version: row.version + 1, ended_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', instanceId)
    .execute();
  await appendHistory(ctx, trx, [
    { instance_id: instanceId, type: 'instance.superseded', element_id: null, actor_id: actorId, payload },
  ]);
  const rows = timers.map((t) => ({ topic: 'timer.cancel', payload: { timerId: t.id } }));
  const ids = await q.insertOutbox(trx, rows);
  return rows.map((r, i) => ({ ...r, id: ids[i].id }));
}
