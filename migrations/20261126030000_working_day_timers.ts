import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Engine timers written as `P<n>WD` keep what their due time was counted from: n working days after the
 * Shanghai date the timer started, and whether that count ran into a year without a holiday notice. When the
 * notice is loaded, a provisional one is counted again and moved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE timers ADD COLUMN working_days integer CHECK (working_days BETWEEN 1 AND 999)',
    // A Shanghai civil date as text (YYYY-MM-DD), as the calendar counts it; no driver turns it into an instant.
    `ALTER TABLE timers ADD COLUMN basis_date text CHECK (basis_date ~ '^\\d{4}-\\d{2}-\\d{2}$')`,
    'ALTER TABLE timers ADD COLUMN due_provisional boolean NOT NULL DEFAULT false',
    `ALTER TABLE timers ADD CONSTRAINT timers_working_days_basis
       CHECK ((working_days IS NULL) = (basis_date IS NULL))`,
    `CREATE INDEX timers_provisional_idx ON timers (id) WHERE status = 'pending' AND due_provisional`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX timers_provisional_idx',
    'ALTER TABLE timers DROP CONSTRAINT timers_working_days_basis',
    'ALTER TABLE timers DROP COLUMN due_provisional',
    'ALTER TABLE timers DROP COLUMN basis_date',
    'ALTER TABLE timers DROP COLUMN working_days',
  ]);
}
