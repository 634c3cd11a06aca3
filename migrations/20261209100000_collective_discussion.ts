import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const DOC_KIND = "kind = 'collective_record'";
const DOC_TABLES = ['document_sequences', 'document_templates', 'documents'];

/**
 * Adds `extra` to a CHECK constraint as it stands, rather than restating its whole list: other migrations of the
 * same release widen the same constraints (the 移送书 of case_transfers), and each keeps what the others added.
 */
async function widen(db: Kysely<unknown>, table: string, constraint: string, extra: string) {
  const { rows } = await sql<{ def: string }>`
    SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE t.relname = ${table} AND c.conname = ${constraint}`.execute(db);
  const current = rows[0]?.def.replace(/^CHECK\s*/, '') ?? 'false';
  await run(db, [
    `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`,
    `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${current} OR (${extra}))`,
  ]);
}

/**
 * 集体讨论 (行政处罚法第五十七条第二款): an agency's leadership (领导班子), the members a collective discussion may
 * convene, in the order the minutes list them; and the minutes (集体讨论记录) as one more document kind.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE department_leaders (
      department_id uuid NOT NULL REFERENCES departments(id),
      user_id uuid NOT NULL REFERENCES users(id),
      position text NOT NULL CHECK (length(position) BETWEEN 1 AND 50),
      sort integer NOT NULL CHECK (sort BETWEEN 0 AND 99),
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (department_id, user_id)
    )`,
  ]);
  for (const t of DOC_TABLES) await widen(db, t, `${t}_kind_check`, DOC_KIND);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TABLE department_leaders',
    "DELETE FROM document_templates WHERE kind = 'collective_record'",
    "DELETE FROM document_sequences WHERE kind = 'collective_record'",
  ]);
  // The widened constraints keep their extra clause: it no longer matches any row, and an older release ignores it.
}
