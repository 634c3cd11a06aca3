import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** The exported tables and the entity each one's rows are exported as. */
const SOURCES = [
  ['departments', 'agency'],
  ['users', 'officer'],
  ['agency_powers', 'power'],
  ['cases', 'case'],
  ['tasks', 'stage'],
  ['review_opinions', 'review'],
  ['disclosures', 'disclosure'],
] as const;

/**
 * The data-element export's change log: a trigger notes every insert, update and delete of an exported row in
 * the transaction that made it; `seq` is given later by one sequencer at a time (advisory lock), in the order
 * the rows became visible, so a feed cursor (the last seq read) never skips a row committed out of order.
 * Consumers of the feed hold API tokens, of which only the SM3 hash is stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE export_changes (
      id bigserial PRIMARY KEY,
      entity text NOT NULL,
      row_id uuid NOT NULL,
      deleted boolean NOT NULL DEFAULT false,
      seq bigint UNIQUE
    )`,
    'CREATE INDEX export_changes_unsequenced_idx ON export_changes (id) WHERE seq IS NULL',
    `CREATE FUNCTION fashen_export_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          INSERT INTO export_changes (entity, row_id, deleted) VALUES (TG_ARGV[0], OLD.id, true);
        ELSE
          INSERT INTO export_changes (entity, row_id) VALUES (TG_ARGV[0], NEW.id);
        END IF;
        RETURN NULL;
      END $$`,
    ...SOURCES.map(
      ([table, entity]) =>
        `CREATE TRIGGER ${table}_export_change AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION fashen_export_change('${entity}')`,
    ),
    // Rows from before the change log: one change each, so a feed read from the start holds everything.
    ...SOURCES.map(
      ([table, entity]) =>
        `INSERT INTO export_changes (entity, row_id) SELECT '${entity}', id FROM ${table} ORDER BY id`,
    ),
    `CREATE TABLE export_consumers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      personal_data boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TABLE export_consumers, export_changes',
    ...SOURCES.map(([table]) => `DROP TRIGGER ${table}_export_change ON ${table}`),
    'DROP FUNCTION fashen_export_change()',
  ]);
}
