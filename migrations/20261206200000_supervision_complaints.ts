import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const OLD_DOC_KINDS = `('review_opinion', 'correction_notice', 'coordination_record', 'chief_decision')`;
const DOC_KINDS = `('review_opinion', 'correction_notice', 'coordination_record', 'chief_decision',
  'supervision_opinion', 'rectification_notice')`;
const OLD_TIMER_KINDS = `('engine', 'task_reminder', 'task_deadline', 'disclosure_reminder', 'disclosure_deadline',
  'disclosure_retention')`;
const TIMER_KINDS = `('engine', 'task_reminder', 'task_deadline', 'disclosure_reminder', 'disclosure_deadline',
  'disclosure_retention', 'supervision_deadline', 'complaint_deadline')`;

/**
 * 执法监督 and 投诉举报: the justice bureau's opinions and correction notices with the agency's answer and its
 * files (stored in the evidence storage by SM3), and complaints from the public with their private contact
 * details and the agency's answer. Their answer deadlines are owned timers (kinds supervision_deadline,
 * complaint_deadline) with no process instance; their documents are two more document kinds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE supervision_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('opinion', 'correction')),
      issuer_department_id uuid NOT NULL REFERENCES departments(id),
      issued_by uuid NOT NULL REFERENCES users(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      case_id uuid REFERENCES cases(id),
      subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
      findings text NOT NULL CHECK (length(findings) BETWEEN 1 AND 10000),
      requirements text NOT NULL CHECK (length(requirements) BETWEEN 1 AND 10000),
      legal_basis text CHECK (legal_basis IS NULL OR length(legal_basis) BETWEEN 1 AND 2000),
      working_days integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
      due_at timestamptz NOT NULL,
      due_provisional boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
      overdue_at timestamptz,
      document_id uuid REFERENCES documents(id),
      answer text CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 10000),
      answered_by uuid REFERENCES users(id),
      answered_at timestamptz,
      answer_document_ids jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'answered') = (answered_at IS NOT NULL AND answer IS NOT NULL AND answered_by IS NOT NULL))
    )`,
    'CREATE INDEX supervision_items_department_idx ON supervision_items (department_id, status, due_at)',
    'CREATE INDEX supervision_items_case_idx ON supervision_items (case_id) WHERE case_id IS NOT NULL',
    `CREATE TABLE supervision_files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_id uuid NOT NULL REFERENCES supervision_items(id),
      file_name text NOT NULL,
      media_type text NOT NULL,
      size bigint NOT NULL,
      sm3 text NOT NULL CHECK (sm3 ~ '^[0-9a-f]{64}$'),
      storage_key text NOT NULL,
      uploaded_by uuid NOT NULL REFERENCES users(id),
      uploaded_at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX supervision_files_item_idx ON supervision_files (item_id, uploaded_at)',
    `CREATE TABLE complaints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text NOT NULL UNIQUE CHECK (number ~ '^TS\\d{8}-[0-9A-Z]{6}$'),
      secret_hash text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      about text NOT NULL CHECK (about IN ('act', 'officer')),
      officer_name text CHECK (officer_name IS NULL OR length(officer_name) BETWEEN 1 AND 50),
      certificate_number text CHECK (certificate_number IS NULL OR length(certificate_number) BETWEEN 1 AND 50),
      occurred_on text CHECK (occurred_on IS NULL OR occurred_on ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      content text NOT NULL CHECK (length(content) BETWEEN 1 AND 5000),
      complainant_name text NOT NULL CHECK (length(complainant_name) BETWEEN 1 AND 50),
      phone text NOT NULL CHECK (length(phone) BETWEEN 5 AND 20),
      phone_hash text NOT NULL,
      email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 200),
      status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'answered')),
      working_days integer NOT NULL,
      due_at timestamptz NOT NULL,
      due_provisional boolean NOT NULL DEFAULT false,
      overdue_at timestamptz,
      answer text CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 5000),
      answered_by uuid REFERENCES users(id),
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'answered') = (answered_at IS NOT NULL AND answer IS NOT NULL AND answered_by IS NOT NULL))
    )`,
    'CREATE INDEX complaints_department_idx ON complaints (department_id, created_at DESC)',
    'CREATE INDEX complaints_year_idx ON complaints (created_at, department_id)',
    'ALTER TABLE timers DROP CONSTRAINT timers_kind_check',
    `ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN ${TIMER_KINDS})`,
    'ALTER TABLE timers DROP CONSTRAINT timers_instance_or_disclosure',
    `ALTER TABLE timers ADD CONSTRAINT timers_instance_or_disclosure CHECK (instance_id IS NOT NULL
      OR kind LIKE 'disclosure\\_%' OR kind IN ('supervision_deadline', 'complaint_deadline'))`,
    ...['document_sequences', 'document_templates', 'documents'].flatMap((t) => [
      `ALTER TABLE ${t} DROP CONSTRAINT ${t}_kind_check`,
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_kind_check CHECK (kind IN ${DOC_KINDS})`,
    ]),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    "DELETE FROM timers WHERE kind IN ('supervision_deadline', 'complaint_deadline')",
    'ALTER TABLE timers DROP CONSTRAINT timers_instance_or_disclosure',
    `ALTER TABLE timers ADD CONSTRAINT timers_instance_or_disclosure
      CHECK (instance_id IS NOT NULL OR kind LIKE 'disclosure\\_%')`,
    'ALTER TABLE timers DROP CONSTRAINT timers_kind_check',
    `ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN ${OLD_TIMER_KINDS})`,
    'DROP TABLE complaints, supervision_files, supervision_items',
    "DELETE FROM document_templates WHERE kind IN ('supervision_opinion', 'rectification_notice')",
    "DELETE FROM document_sequences WHERE kind IN ('supervision_opinion', 'rectification_notice')",
    ...['document_sequences', 'document_templates', 'documents'].flatMap((t) => [
      `ALTER TABLE ${t} DROP CONSTRAINT ${t}_kind_check`,
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_kind_check CHECK (kind IN ${OLD_DOC_KINDS})`,
    ]),
  ]);
}
