import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * The intake API: an agency's own case-handling systems (per department, each acting through its own service
 * account), their API keys (only the SHA-256 of a key is stored), and which Fashen case each external case id is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE intake_systems (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      user_id uuid NOT NULL REFERENCES users(id),
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (department_id, code)
    )`,
    `CREATE TABLE intake_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      system_id uuid NOT NULL REFERENCES intake_systems(id),
      key_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_by uuid REFERENCES users(id),
      revoked_at timestamptz
    )`,
    'CREATE INDEX intake_keys_system_idx ON intake_keys (system_id)',
    `CREATE TABLE intake_cases (
      system_id uuid NOT NULL REFERENCES intake_systems(id),
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
      case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (system_id, external_id)
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['DROP TABLE intake_cases', 'DROP TABLE intake_keys', 'DROP TABLE intake_systems']);
}
