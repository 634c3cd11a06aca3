import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const CATEGORIES = `('licensing', 'penalty', 'coercion', 'levy', 'inspection')`;

/**
 * Enforcement publicity (行政执法公示): disclosure rules per decision category, disclosures with their legal
 * deadline, redaction and withdrawal, their history, and the yearly statistics reports. Disclosure timers
 * live in `timers` (kinds disclosure_*) with no process instance: a disclosure outlives its review process
 * and a decision recorded outside the catalogue has none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE disclosure_rules (
      category text PRIMARY KEY CHECK (category IN ${CATEGORIES}),
      deadline_working_days integer NOT NULL CHECK (deadline_working_days BETWEEN 1 AND 60),
      reminder_working_days integer NOT NULL CHECK (reminder_working_days BETWEEN 0 AND 30),
      retention_years_person integer NOT NULL CHECK (retention_years_person BETWEEN 1 AND 50),
      retention_years_organization integer NOT NULL CHECK (retention_years_organization BETWEEN 1 AND 50)
    )`,
    `INSERT INTO disclosure_rules VALUES
      ('licensing', 7, 2, 2, 5), ('penalty', 7, 2, 2, 5), ('coercion', 20, 3, 2, 5),
      ('levy', 20, 3, 2, 5), ('inspection', 20, 3, 2, 5)`,
    `CREATE TABLE disclosures (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      case_id uuid UNIQUE REFERENCES cases(id),
      category text NOT NULL CHECK (category IN ${CATEGORIES}),
      decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 200),
      decision_date date NOT NULL,
      party_type text NOT NULL CHECK (party_type IN ('person', 'organization')),
      original jsonb NOT NULL,
      redacted jsonb NOT NULL,
      findings jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'withdrawn', 'expired')),
      due_at timestamptz NOT NULL,
      due_provisional boolean NOT NULL DEFAULT false,
      reminded_at timestamptz,
      overdue_at timestamptz,
      published_at timestamptz,
      published_by uuid REFERENCES users(id),
      withdrawn_at timestamptz,
      withdrawn_by uuid REFERENCES users(id),
      withdrawal_reason text CHECK (withdrawal_reason IS NULL OR length(withdrawal_reason) BETWEEN 1 AND 2000),
      retention_until date,
      search_text text NOT NULL DEFAULT '',
      search_doc tsvector NOT NULL DEFAULT ''::tsvector,
      party_doc tsvector NOT NULL DEFAULT ''::tsvector,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'published') = (published_at IS NOT NULL AND withdrawn_at IS NULL)),
      CHECK (status NOT IN ('withdrawn', 'expired') OR withdrawal_reason IS NOT NULL)
    )`,
    'CREATE INDEX disclosures_search_idx ON disclosures USING gin (search_doc)',
    'CREATE INDEX disclosures_party_idx ON disclosures USING gin (party_doc)',
    "CREATE INDEX disclosures_public_idx ON disclosures (decision_date DESC, id) WHERE status = 'published'",
    'CREATE INDEX disclosures_department_idx ON disclosures (department_id, status, due_at)',
    "CREATE INDEX disclosures_public_agency_idx ON disclosures (department_id, decision_date DESC, id) WHERE status = 'published'",
    `CREATE TABLE disclosure_events (
      id bigserial PRIMARY KEY,
      disclosure_id uuid NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
      type text NOT NULL,
      actor_id uuid REFERENCES users(id),
      payload jsonb NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX disclosure_events_disclosure_idx ON disclosure_events (disclosure_id, id)',
    `CREATE TABLE annual_reports (
      department_id uuid NOT NULL REFERENCES departments(id),
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2199),
      figures jsonb NOT NULL,
      submitted_at timestamptz NOT NULL,
      submitted_by uuid NOT NULL REFERENCES users(id),
      published_at timestamptz,
      PRIMARY KEY (department_id, year)
    )`,
    'ALTER TABLE timers ALTER COLUMN instance_id DROP NOT NULL',
    'ALTER TABLE timers DROP CONSTRAINT IF EXISTS timers_kind_check',
    `ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN
      ('engine', 'task_reminder', 'task_deadline', 'disclosure_reminder', 'disclosure_deadline', 'disclosure_retention'))`,
    `ALTER TABLE timers ADD CONSTRAINT timers_instance_or_disclosure
      CHECK (instance_id IS NOT NULL OR kind LIKE 'disclosure\\_%')`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    "DELETE FROM timers WHERE kind LIKE 'disclosure\\_%'",
    'ALTER TABLE timers DROP CONSTRAINT timers_instance_or_disclosure',
    'ALTER TABLE timers DROP CONSTRAINT timers_kind_check',
    `ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN ('engine', 'task_reminder', 'task_deadline'))`,
    'ALTER TABLE timers ALTER COLUMN instance_id SET NOT NULL',
    'DROP TABLE annual_reports, disclosure_events, disclosures, disclosure_rules',
  ]);
}
