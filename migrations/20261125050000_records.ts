import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite); function bodies hold semicolons, so statements are listed, not split.
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const APPEND_ONLY = [
  'case_records',
  'record_leaves',
  'record_tree_nodes',
  'record_checkpoints',
  'document_signatures',
] as const;

/**
 * The whole-process record (执法全过程记录): per-case SM3 hash chains, the global RFC 6962 Merkle tree over
 * them with signed checkpoints, and SM2 signatures on documents. Every one of these tables is append-only: a
 * trigger refuses UPDATE, DELETE and TRUNCATE, and the owner's own privileges to do so are revoked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE case_records (
      id bigserial PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      seq integer NOT NULL CHECK (seq >= 1),
      body text NOT NULL,
      prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
      UNIQUE (case_id, seq)
    )`,
    `CREATE TABLE record_leaves (
      leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
      record_id bigint NOT NULL UNIQUE REFERENCES case_records(id),
      case_id uuid NOT NULL,
      seq integer NOT NULL
    )`,
    'CREATE INDEX record_leaves_case_idx ON record_leaves (case_id, seq)',
    `CREATE TABLE record_tree_nodes (
      level smallint NOT NULL CHECK (level >= 0),
      idx bigint NOT NULL CHECK (idx >= 0),
      hash text NOT NULL,
      PRIMARY KEY (level, idx)
    )`,
    `CREATE TABLE record_checkpoints (
      tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
      root text NOT NULL,
      body text NOT NULL,
      key_id text NOT NULL,
      signature text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE user_signing_keys (
      key_id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      public_key text NOT NULL,
      sealed_private_key text NOT NULL,
      certificate text NOT NULL,
      certificate_signature text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`,
    'CREATE UNIQUE INDEX user_signing_keys_current_idx ON user_signing_keys (user_id) WHERE revoked_at IS NULL',
    `CREATE TABLE document_signatures (
      id bigserial PRIMARY KEY,
      document_id uuid NOT NULL UNIQUE,
      user_id uuid NOT NULL REFERENCES users(id),
      key_id text NOT NULL REFERENCES user_signing_keys(key_id),
      message text NOT NULL,
      signature text NOT NULL,
      signed_at timestamptz NOT NULL
    )`,
    // Chunked, resumable uploads of large evidence: the bytes received so far are the file's length on disk.
    `CREATE TABLE attachment_uploads (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      file_name text NOT NULL,
      size bigint NOT NULL CHECK (size > 0),
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      attachment_id uuid
    )`,
    // 同一执法对象集中储存: a party's cases are found by its ID or unified social credit code.
    "CREATE INDEX cases_party_id_code_idx ON cases ((packet->'party'->>'idCode'))",
    `CREATE FUNCTION fashen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% on % refused: the whole-process record is append-only (执法全过程记录不可删改)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`,
    ...APPEND_ONLY.flatMap((t) => [
      // Statement level: refused even when no row matches, so probing for rows to change fails loudly too.
      `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION fashen_refuse_change()`,
      `REVOKE UPDATE, DELETE, TRUNCATE ON ${t} FROM PUBLIC, CURRENT_USER`,
    ]),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `DROP TABLE ${[...APPEND_ONLY].reverse().join(', ')}, user_signing_keys, attachment_uploads`,
    'DROP FUNCTION fashen_refuse_change()',
    'DROP INDEX cases_party_id_code_idx',
  ]);
}
