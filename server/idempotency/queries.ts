import type { Database } from '../database/connect.js';

const KEEP_HOURS = 24;

/** Claims a key for a request; false when the user has used it already (see findKey). */
export async function claimKey(db: Database, userId: string, key: string, requestHash: string, now: Date) {
  const cutoff = new Date(now.getTime() - KEEP_HOURS * 3_600_000);
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('created_at', '<', cutoff)
    .execute();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, request_hash: requestHash, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findKey(db: Database, userId: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function storeAnswer(
  db: Database,
  userId: string,
  key: string,
  answer: { statusCode: number; contentType: string | null; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: answer.statusCode, content_type: answer.contentType, response: answer.body })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

/** A request that failed on the server's side leaves nothing: the client may try the key again. */
export async function releaseKey(db: Database, userId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
}

/** Drops keys past their day (the worker's maintenance). */
export async function purgeKeys(db: Database, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - KEEP_HOURS * 3_600_000);
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
