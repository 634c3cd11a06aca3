import { type Kysely, sql } from 'kysely';

/**
 * The case lifecycle around the review (issue 14): 立案 with the 90-day limit (行政处罚法第六十条), the stages
 * from 调查取证 to 结案归档 with their dates, actors and evidence, and every stage event as it was received.
 * An event may carry the id its source gave it (an agency's own case system pushing events later): the same
 * (case, source, external id) is recorded once.
 */
const TIMER_KINDS = `('engine', 'task_reminder', 'task_deadline', 'disclosure_reminder', 'disclosure_deadline',
  'disclosure_retention', 'supervision_deadline', 'complaint_deadline')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // The lifecycle's deadlines are owned timers (no process instance) of kinds lifecycle_*.
  await sql`ALTER TABLE timers DROP CONSTRAINT timers_kind_check`.execute(db);
  await sql
    .raw(
      `ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN ${TIMER_KINDS} OR kind LIKE 'lifecycle\\_%')`,
    )
    .execute(db);
  await sql`ALTER TABLE timers DROP CONSTRAINT timers_instance_or_disclosure`.execute(db);
  await sql
    .raw(`ALTER TABLE timers ADD CONSTRAINT timers_instance_or_disclosure CHECK (instance_id IS NOT NULL
      OR kind LIKE 'disclosure\\_%' OR kind IN ('supervision_deadline', 'complaint_deadline') OR kind LIKE 'lifecycle\\_%')`)
    .execute(db);
  await sql`
    CREATE TABLE case_lifecycles (
      case_id uuid PRIMARY KEY REFERENCES cases(id),
      filed_on date NOT NULL,
      decision_due_on date NOT NULL,
      extension jsonb,
      reminded_at timestamptz,
      overdue_at timestamptz,
      archived_on date,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE case_stages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      kind text NOT NULL CHECK (kind IN ('filing', 'investigation', 'onsite', 'seizure', 'demolition', 'notice',
        'statement', 'hearing', 'service', 'execution', 'archive')),
      status text NOT NULL CHECK (status IN ('open', 'closed')),
      started_on date NOT NULL,
      ended_on date,
      details jsonb NOT NULL DEFAULT '{}',
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_stages_case_idx ON case_stages (case_id, created_at)`.execute(db);
  await sql`
    CREATE TABLE case_stage_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      stage_id uuid REFERENCES case_stages(id),
      type text NOT NULL,
      occurred_on date NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      source text NOT NULL DEFAULT 'workbench',
      external_id text,
      actor_id uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT case_stage_events_external_key UNIQUE (case_id, source, external_id)
    )`.execute(db);
  await sql`CREATE INDEX case_stage_events_case_idx ON case_stage_events (case_id, created_at)`.execute(db);
  await sql`
    CREATE TABLE case_stage_files (
      stage_id uuid NOT NULL REFERENCES case_stages(id),
      attachment_id uuid NOT NULL REFERENCES case_attachments(id),
      purpose text NOT NULL CHECK (purpose IN ('recording', 'proof', 'document', 'other')),
      linked_by uuid REFERENCES users(id),
      linked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (stage_id, attachment_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM timers WHERE kind LIKE 'lifecycle\\_%'`.execute(db);
  await sql`ALTER TABLE timers DROP CONSTRAINT timers_kind_check`.execute(db);
  await sql.raw(`ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN ${TIMER_KINDS})`).execute(db);
  await sql`ALTER TABLE timers DROP CONSTRAINT timers_instance_or_disclosure`.execute(db);
  await sql
    .raw(`ALTER TABLE timers ADD CONSTRAINT timers_instance_or_disclosure CHECK (instance_id IS NOT NULL
      OR kind LIKE 'disclosure\\_%' OR kind IN ('supervision_deadline', 'complaint_deadline'))`)
    .execute(db);
  await sql`DROP TABLE case_stage_files, case_stage_events, case_stages, case_lifecycles`.execute(db);
}
