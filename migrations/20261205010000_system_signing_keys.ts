import { type Kysely, sql } from 'kysely';

/**
 * The system SM2 key lives in the database, not in one host's DATA_DIR: every host of a deployment signs
 * checkpoints and certificates with the same key. A generated key is stored sealed with KEYSTORE_SECRET; a key
 * given as RECORD_SIGNING_KEY is recorded by its public half only. Rotation retires the current row; retired
 * keys stay, so old checkpoints and certificates still verify.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE system_signing_keys (
      key_id text PRIMARY KEY,
      public_key text NOT NULL UNIQUE CHECK (public_key ~ '^04[0-9a-f]{128}$'),
      sealed_private_key text,
      source text NOT NULL CHECK (source IN ('generated', 'config', 'imported')),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      CHECK ((source = 'config') = (sealed_private_key IS NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX system_signing_keys_current_idx ON system_signing_keys ((true)) WHERE retired_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE system_signing_keys`.execute(db);
}
