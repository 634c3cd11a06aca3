import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Indexes for lists and figures at a million cases (bench/million.ts):
 * - a department's cases by state, newest change first (the legal unit's dashboard counts open cases by state; the
 *   case list filtered by state), instead of walking all of the department's cases;
 * - a review opinion carries its case's department (filled by a trigger from the case, which never changes
 *   department), so that a department's opinions of a year are one index range instead of a join over every case;
 * - a department's finished review steps carry when they started, so the dashboard's review spans read the index only;
 * - a department's disclosures by decision date with the columns the annual figures count (index-only).
 * Plain CREATE INDEX (not CONCURRENTLY: migrations run in a transaction); on a large existing database this
 * holds a write lock on each table while its index builds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'CREATE INDEX cases_department_status_idx ON cases (department_id, status, updated_at DESC)',
    'ALTER TABLE review_opinions ADD COLUMN department_id uuid REFERENCES departments(id)',
    'UPDATE review_opinions o SET department_id = c.department_id FROM cases c WHERE c.id = o.case_id',
    'ALTER TABLE review_opinions ALTER COLUMN department_id SET NOT NULL',
    `CREATE FUNCTION review_opinions_department() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       SELECT department_id INTO NEW.department_id FROM cases WHERE id = NEW.case_id;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER review_opinions_department BEFORE INSERT OR UPDATE OF case_id ON review_opinions
       FOR EACH ROW EXECUTE FUNCTION review_opinions_department()`,
    'CREATE INDEX review_opinions_department_idx ON review_opinions (department_id, created_at)',
    'DROP INDEX tasks_completed_step_idx',
    `CREATE INDEX tasks_completed_step_idx ON tasks (department_id, step, ended_at) INCLUDE (created_at)
       WHERE status = 'completed'`,
    `CREATE INDEX disclosures_decided_idx ON disclosures (department_id, decision_date)
       INCLUDE (category, status, published_at, due_at, overdue_at)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX disclosures_decided_idx',
    'DROP INDEX tasks_completed_step_idx',
    `CREATE INDEX tasks_completed_step_idx ON tasks (department_id, step, ended_at) WHERE status = 'completed'`,
    'DROP TRIGGER review_opinions_department ON review_opinions',
    'DROP FUNCTION review_opinions_department()',
    'ALTER TABLE review_opinions DROP COLUMN department_id',
    'DROP INDEX cases_department_status_idx',
  ]);
}
