import { type Kysely, sql } from 'kysely';

/**
 * Failed logins are counted in PostgreSQL, per username and per address, instead of Redis: with Redis down a
 * login answered 500, and PostgreSQL is what every host of a deployment shares for certain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE login_failures (
      key text PRIMARY KEY,
      failures integer NOT NULL CHECK (failures > 0),
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX login_failures_expires_idx ON login_failures (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE login_failures`.execute(db);
}
