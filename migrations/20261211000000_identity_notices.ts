import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const TABLES = ['sessions', 'users', 'departments'];

/**
 * Each server keeps the sessions it has checked in memory (server/identity/session-cache.ts) and must forget them
 * when a session, its user or the user's department changes, in whichever process or tool made the change. The
 * database says so on commit: a notice on the channel fashen_identity after any UPDATE, DELETE or TRUNCATE of the
 * three tables. A new session (INSERT) changes nothing a server holds. NOTIFY is transactional: a rolled-back
 * change sends nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE FUNCTION fashen_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('fashen_identity', TG_TABLE_NAME);
         RETURN NULL;
       END
     $$`,
    ...TABLES.map(
      (t) => `CREATE TRIGGER ${t}_identity_changed AFTER UPDATE OR DELETE OR TRUNCATE ON ${t}
                FOR EACH STATEMENT EXECUTE FUNCTION fashen_identity_changed()`,
    ),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...TABLES.map((t) => `DROP TRIGGER ${t}_identity_changed ON ${t}`),
    'DROP FUNCTION fashen_identity_changed()',
  ]);
}
