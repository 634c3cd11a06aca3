import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import * as q from './queries.js';
import type { HistoryListeners, StoredHistoryEvent } from './registry.js';

/**
 * Appends to an instance's history and tells the history listeners in the same transaction (e.g. the case's
 * tamper-evident record, 执法全过程记录): both commit or neither does. The one way history is written.
 */
export async function appendHistory(
  ctx: { history: HistoryListeners },
  trx: Transaction<DB>,
  events: Omit<StoredHistoryEvent, 'at'>[],
): Promise<StoredHistoryEvent[]> {
  const stored = await q.insertEvents(trx, events);
  await ctx.history.notify(trx, stored);
  return stored;
}
