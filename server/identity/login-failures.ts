import { sql } from 'kysely';
import type { Database } from '../database/connect.js';

/**
 * Failed logins per key (`user:<name>`, `ip:<address>`), each counting up while failures keep coming within
 * the lock-out window and forgotten once it has passed: the shape Redis' INCR + EXPIRE gave, kept in
 * PostgreSQL so that logins work whatever state Redis is in.
 */

/** Current failures and when they lapse, for the keys that have any. */
export async function failuresOf(db: Database, keys: string[], now: Date) {
  const rows = await db
    .selectFrom('login_failures')
    .select(['key', 'failures', 'expires_at'])
    .where('key', 'in', keys)
    .where('expires_at', '>', now)
    .execute();
  return new Map(rows.map((r) => [r.key, { failures: r.failures, expiresAt: r.expires_at }]));
}

/** Counts one failure against each key and pushes its window out; sweeps a few long-lapsed rows as it goes. */
export async function countFailure(db: Database, keys: string[], lockSeconds: number, now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + lockSeconds * 1000);
  await db.transaction().execute(async (trx) => {
    for (const key of keys) {
      await trx
        .insertInto('login_failures')
        .values({ key, failures: 1, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`CASE WHEN login_failures.expires_at <= ${now} THEN 1 ELSE login_failures.failures + 1 END`,
            expires_at: expiresAt,
          }),
        )
        .execute();
    }
    await trx
      .deleteFrom('login_failures')
      .where('key', 'in', (eb) =>
        eb.selectFrom('login_failures').select('key').where('expires_at', '<', now).limit(100),
      )
      .execute();
  });
}

export async function clearFailures(db: Database, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}
