import { type Kysely, sql } from 'kysely';

/**
 * Work in progress on the workbench, kept per user on the server so that a half-filled review or packet survives
 * a reload, another browser or a lost connection: one draft per user and form (a task's form, or a new packet).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`CREATE TABLE workbench_drafts (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      form_key text NOT NULL CHECK (form_key ~ '^(task:[0-9a-f-]{36}|packet:new)$'),
      data jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, form_key)
    )`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE workbench_drafts').execute(db);
}
