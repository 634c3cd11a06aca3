import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// The last second of 15 and 31 January of the following year in Asia/Shanghai (23:59:59 +08:00), as UTC.
const SUBMIT_DUE = `make_timestamptz(year + 1, 1, 15, 15, 59, 59, 'UTC')`;
const PUBLISH_DUE = `make_timestamptz(year + 1, 1, 31, 15, 59, 59, 'UTC')`;

/**
 * Annual statistics: submitting to the justice bureau (报送, due 15 January) and publishing (公开, due 31
 * January) become two steps. A report keeps its first submission (which decides lateness), its latest
 * revision and who published it; every submission is kept in annual_report_submissions. Reports written
 * before this migration were submitted and published in one step: they become revision 1, published by
 * their submitter, with lateness worked out from their timestamps. Review tasks get an index for counting
 * overdue reviews by deadline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `ALTER TABLE annual_reports
      ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
      ADD COLUMN first_submitted_at timestamptz,
      ADD COLUMN submitted_late boolean NOT NULL DEFAULT false,
      ADD COLUMN published_by uuid REFERENCES users(id),
      ADD COLUMN published_late boolean`,
    `UPDATE annual_reports SET
      first_submitted_at = submitted_at,
      submitted_late = submitted_at > ${SUBMIT_DUE},
      published_by = CASE WHEN published_at IS NOT NULL THEN submitted_by END,
      published_late = CASE WHEN published_at IS NOT NULL THEN published_at > ${PUBLISH_DUE} END`,
    'ALTER TABLE annual_reports ALTER COLUMN first_submitted_at SET NOT NULL',
    `ALTER TABLE annual_reports ADD CONSTRAINT annual_reports_publication CHECK (
      (published_at IS NULL) = (published_by IS NULL) AND (published_at IS NULL) = (published_late IS NULL))`,
    'CREATE INDEX annual_reports_year_idx ON annual_reports (year)',
    `CREATE TABLE annual_report_submissions (
      department_id uuid NOT NULL,
      year integer NOT NULL,
      revision integer NOT NULL CHECK (revision >= 1),
      figures jsonb NOT NULL,
      submitted_at timestamptz NOT NULL,
      submitted_by uuid NOT NULL REFERENCES users(id),
      late boolean NOT NULL,
      PRIMARY KEY (department_id, year, revision),
      FOREIGN KEY (department_id, year) REFERENCES annual_reports (department_id, year) ON DELETE CASCADE
    )`,
    `INSERT INTO annual_report_submissions (department_id, year, revision, figures, submitted_at, submitted_by, late)
      SELECT department_id, year, 1, figures, submitted_at, submitted_by, submitted_late FROM annual_reports`,
    `CREATE INDEX tasks_review_due_idx ON tasks (department_id, due_at) WHERE role = 'reviewer' AND due_at IS NOT NULL`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX tasks_review_due_idx',
    'DROP TABLE annual_report_submissions',
    'DROP INDEX annual_reports_year_idx',
    // A report submitted but not yet published cannot be expressed by the one-step schema: it is dropped.
    'DELETE FROM annual_reports WHERE published_at IS NULL',
    `ALTER TABLE annual_reports DROP CONSTRAINT annual_reports_publication,
      DROP COLUMN revision, DROP COLUMN first_submitted_at, DROP COLUMN submitted_late,
      DROP COLUMN published_by, DROP COLUMN published_late`,
  ]);
}
