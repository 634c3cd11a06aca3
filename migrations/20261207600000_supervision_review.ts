import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * The supervisor's side of an opinion or correction notice: the agency answers (answered), the supervisor
 * accepts it (accepted, 办结) or sends it back (returned) to be answered again. Every answer is kept as a round
 * with its files and the supervisor's verdict; the item keeps the latest. Supervision items join the
 * data-element export's change log (entity `supervision`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE supervision_items DROP CONSTRAINT supervision_items_status_check',
    'ALTER TABLE supervision_items DROP CONSTRAINT supervision_items_check',
    `ALTER TABLE supervision_items ADD CONSTRAINT supervision_items_status_check
      CHECK (status IN ('open', 'answered', 'returned', 'accepted'))`,
    'ALTER TABLE supervision_items ADD COLUMN accepted_by uuid REFERENCES users(id)',
    'ALTER TABLE supervision_items ADD COLUMN accepted_at timestamptz',
    'ALTER TABLE supervision_items ADD COLUMN returned_count integer NOT NULL DEFAULT 0',
    `ALTER TABLE supervision_items ADD CONSTRAINT supervision_items_answered_check
      CHECK (status NOT IN ('answered', 'accepted')
        OR (answered_at IS NOT NULL AND answer IS NOT NULL AND answered_by IS NOT NULL))`,
    `ALTER TABLE supervision_items ADD CONSTRAINT supervision_items_accepted_check
      CHECK ((status = 'accepted') = (accepted_at IS NOT NULL AND accepted_by IS NOT NULL))`,
    'CREATE INDEX supervision_items_due_idx ON supervision_items (due_at, department_id)',
    `CREATE TABLE supervision_answers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_id uuid NOT NULL REFERENCES supervision_items(id),
      round integer NOT NULL CHECK (round >= 1),
      answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 10000),
      file_ids jsonb NOT NULL DEFAULT '[]',
      answered_by uuid NOT NULL REFERENCES users(id),
      answered_at timestamptz NOT NULL,
      verdict text CHECK (verdict IS NULL OR verdict IN ('accepted', 'returned')),
      verdict_note text CHECK (verdict_note IS NULL OR length(verdict_note) BETWEEN 1 AND 2000),
      reviewed_by uuid REFERENCES users(id),
      reviewed_at timestamptz,
      UNIQUE (item_id, round),
      CHECK ((verdict IS NULL) = (reviewed_at IS NULL AND reviewed_by IS NULL))
    )`,
    `CREATE TRIGGER supervision_items_export_change AFTER INSERT OR UPDATE OR DELETE ON supervision_items
      FOR EACH ROW EXECUTE FUNCTION fashen_export_change('supervision')`,
    "INSERT INTO export_changes (entity, row_id) SELECT 'supervision', id FROM supervision_items ORDER BY id",
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TRIGGER supervision_items_export_change ON supervision_items',
    "DELETE FROM export_changes WHERE entity = 'supervision'",
    'DROP TABLE supervision_answers',
    'DROP INDEX supervision_items_due_idx',
    "UPDATE supervision_items SET status = 'answered' WHERE status = 'accepted'",
    "UPDATE supervision_items SET status = 'open' WHERE status = 'returned'",
    'ALTER TABLE supervision_items DROP CONSTRAINT supervision_items_accepted_check',
    'ALTER TABLE supervision_items DROP CONSTRAINT supervision_items_answered_check',
    'ALTER TABLE supervision_items DROP CONSTRAINT supervision_items_status_check',
    'ALTER TABLE supervision_items DROP COLUMN accepted_by',
    'ALTER TABLE supervision_items DROP COLUMN accepted_at',
    'ALTER TABLE supervision_items DROP COLUMN returned_count',
    `ALTER TABLE supervision_items ADD CONSTRAINT supervision_items_status_check
      CHECK (status IN ('open', 'answered'))`,
    `ALTER TABLE supervision_items ADD CONSTRAINT supervision_items_check
      CHECK ((status = 'answered') = (answered_at IS NOT NULL AND answer IS NOT NULL AND answered_by IS NOT NULL))`,
  ]);
}
