import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Case text search at a million cases (bench/million.ts, issue 17). `?q=` finds cases whose number or title
 * contains the text; as ILIKE '%…%' alone that reads every case of the department (or of the city). Every
 * two-character piece of the lowercased number and title (search_bigrams) goes into a GIN index over an
 * expression, so a search of two or more characters first takes the cases holding all of the query's pieces
 * from the index and only then checks the ILIKE on those. Built-in array GIN, no extension: pg_trgm is not in
 * PGlite unless loaded, and in a C locale it ignores Chinese characters altogether. An expression index, not a
 * column, so rows read with selectAll do not carry it.
 *
 * The annual statistics (figures.ts) at a million cases: a department's review opinions of a year joined every
 * case and its round for the round's submission time (two index lookups per opinion, 0.4 s), and the overdue
 * review tasks were counted from the table rows. An opinion now carries its round's submission time (filled by
 * the trigger that already copies its case's department; a round is written before any opinion on it, and a
 * change of its time is copied to its opinions), and both read an index only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE FUNCTION search_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
       SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}'::text[])
       FROM generate_series(1, length(t) - 1) AS i
     $$`,
    'CREATE INDEX cases_search_idx ON cases USING gin ((search_bigrams(case_number) || search_bigrams(title)))',
    'ALTER TABLE review_opinions ADD COLUMN submitted_at timestamptz',
    `UPDATE review_opinions o SET submitted_at = coalesce(
       (SELECT r.submitted_at FROM case_rounds r WHERE r.case_id = o.case_id AND r.round = o.round),
       (SELECT c.created_at FROM cases c WHERE c.id = o.case_id))`,
    'ALTER TABLE review_opinions ALTER COLUMN submitted_at SET NOT NULL',
    `CREATE OR REPLACE FUNCTION review_opinions_department() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       SELECT c.department_id, coalesce(r.submitted_at, c.created_at) INTO NEW.department_id, NEW.submitted_at
       FROM cases c LEFT JOIN case_rounds r ON r.case_id = c.id AND r.round = NEW.round
       WHERE c.id = NEW.case_id;
       RETURN NEW;
     END $$`,
    'DROP TRIGGER review_opinions_department ON review_opinions',
    `CREATE TRIGGER review_opinions_department BEFORE INSERT OR UPDATE OF case_id, round ON review_opinions
       FOR EACH ROW EXECUTE FUNCTION review_opinions_department()`,
    // A round's submission time is not changed by the service; should it be (a correction), its opinions follow.
    `CREATE FUNCTION case_rounds_submitted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE review_opinions SET submitted_at = NEW.submitted_at WHERE case_id = NEW.case_id AND round = NEW.round;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER case_rounds_submitted AFTER UPDATE OF submitted_at ON case_rounds
       FOR EACH ROW EXECUTE FUNCTION case_rounds_submitted()`,
    'DROP INDEX review_opinions_department_idx',
    `CREATE INDEX review_opinions_department_idx ON review_opinions (department_id, created_at)
       INCLUDE (kind, conclusion, submitted_at)`,
    'DROP INDEX tasks_review_due_idx',
    `CREATE INDEX tasks_review_due_idx ON tasks (department_id, due_at) INCLUDE (status, ended_at, paused_at)
       WHERE role = 'reviewer' AND due_at IS NOT NULL`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX tasks_review_due_idx',
    `CREATE INDEX tasks_review_due_idx ON tasks (department_id, due_at) WHERE role = 'reviewer' AND due_at IS NOT NULL`,
    'DROP INDEX review_opinions_department_idx',
    'CREATE INDEX review_opinions_department_idx ON review_opinions (department_id, created_at)',
    'DROP TRIGGER case_rounds_submitted ON case_rounds',
    'DROP FUNCTION case_rounds_submitted()',
    'DROP TRIGGER review_opinions_department ON review_opinions',
    `CREATE OR REPLACE FUNCTION review_opinions_department() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       SELECT department_id INTO NEW.department_id FROM cases WHERE id = NEW.case_id;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER review_opinions_department BEFORE INSERT OR UPDATE OF case_id ON review_opinions
       FOR EACH ROW EXECUTE FUNCTION review_opinions_department()`,
    'ALTER TABLE review_opinions DROP COLUMN submitted_at',
    'DROP INDEX cases_search_idx',
    'DROP FUNCTION search_bigrams(text)',
  ]);
}
