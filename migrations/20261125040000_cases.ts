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

/** Review cases (送审案件): packets by round, opinions, attachments, the reviewer pool and conflicts (回避). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(
    db,
    `
    CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      case_number text NOT NULL CHECK (length(case_number) BETWEEN 1 AND 100),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      category text NOT NULL CHECK (category IN ('licensing', 'penalty', 'coercion', 'levy')),
      facts jsonb NOT NULL,
      packet jsonb NOT NULL,
      review_mandatory boolean NOT NULL,
      review_requested boolean NOT NULL,
      catalogue_item jsonb,
      catalogue_reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('not_required', 'accepting', 'completing', 'reviewing', 'correcting',
        'contesting', 'rereviewing', 'coordinating', 'deciding', 'recording', 'decided', 'not_approved', 'withdrawn',
        'transferred')),
      review_passed boolean NOT NULL DEFAULT false,
      current_round integer NOT NULL DEFAULT 1,
      reviewer_id uuid REFERENCES users(id),
      instance_id uuid REFERENCES process_instances(id),
      chief_decision jsonb,
      decision jsonb,
      submitted_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (department_id, case_number)
    );
    CREATE INDEX cases_department_idx ON cases (department_id, updated_at DESC);
    CREATE INDEX cases_instance_idx ON cases (instance_id);

    CREATE TABLE case_rounds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      round integer NOT NULL CHECK (round >= 1),
      packet jsonb NOT NULL,
      changes jsonb NOT NULL DEFAULT '[]',
      note text,
      submitted_by uuid NOT NULL REFERENCES users(id),
      submitted_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, round)
    );

    CREATE TABLE review_opinions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      round integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('review', 'rereview')),
      reviewer_id uuid NOT NULL REFERENCES users(id),
      findings jsonb NOT NULL,
      conclusion text NOT NULL CHECK (conclusion IN ('approve', 'approve_with_changes', 'return', 'disapprove', 'transfer')),
      reasons text NOT NULL,
      suggestions text,
      document_id uuid,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX review_opinions_case_idx ON review_opinions (case_id, created_at);

    CREATE TABLE case_attachments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      round integer NOT NULL,
      file_name text NOT NULL,
      media_type text NOT NULL,
      size bigint NOT NULL,
      sm3 text NOT NULL,
      storage_key text NOT NULL,
      uploaded_by uuid NOT NULL REFERENCES users(id),
      uploaded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_attachments_case_idx ON case_attachments (case_id);

    CREATE TABLE reviewer_pool (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      note text,
      added_by uuid REFERENCES users(id),
      added_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE case_conflicts (
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      reason text NOT NULL,
      declared_by uuid REFERENCES users(id),
      declared_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, user_id)
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, 'DROP TABLE case_conflicts, reviewer_pool, case_attachments, review_opinions, case_rounds, cases;\n');
}
