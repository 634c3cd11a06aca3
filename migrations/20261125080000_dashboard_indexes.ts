import { type Kysely, sql } from 'kysely';

// PGlite runs one statement per query, so the script is split and run statement by statement.
async function run(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

/**
 * Indexes for the legal unit dashboard and the justice bureau's view: finished steps of a department by
 * when they ended (average review time), and the city-wide case list newest first, with or without a
 * status filter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(
    db,
    `
    CREATE INDEX tasks_completed_idx ON tasks (department_id, element_id, ended_at) WHERE status = 'completed';
    CREATE INDEX cases_updated_idx ON cases (updated_at DESC);
    CREATE INDEX cases_status_updated_idx ON cases (status, updated_at DESC);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, 'DROP INDEX tasks_completed_idx, cases_updated_idx, cases_status_updated_idx;\n');
}
