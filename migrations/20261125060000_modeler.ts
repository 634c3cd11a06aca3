import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * The modeler: one working draft per department and process, saved server-side so that a legal unit's work
 * survives the browser, and the flowchart of each deployed version rendered once for the publicity portal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE workflow_drafts (
       department_id uuid NOT NULL REFERENCES departments(id),
       process_key text NOT NULL CHECK (process_key ~ '^[A-Za-z_][A-Za-z0-9_.-]{0,99}$'),
       xml text NOT NULL CHECK (length(xml) BETWEEN 1 AND 8388608),
       base_version integer CHECK (base_version IS NULL OR base_version >= 1),
       revision integer NOT NULL CHECK (revision >= 1),
       saved_by uuid NOT NULL REFERENCES users(id),
       saved_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (department_id, process_key)
     )`,
    // A deployed version never changes, so neither does its picture.
    `CREATE TABLE workflow_diagrams (
       definition_id uuid PRIMARY KEY REFERENCES workflow_definitions(id),
       svg text NOT NULL,
       rendered_at timestamptz NOT NULL DEFAULT now()
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['DROP TABLE workflow_diagrams', 'DROP TABLE workflow_drafts']);
}
