import { type Kysely, sql } from 'kysely';

/**
 * 案卷评查: the justice bureau's evaluation rounds. A round draws a reproducible sample of decided cases per
 * agency (the seed and a digest of what it drew from are kept), assigns evaluators, who score each case
 * against the round's checklist (评查标准, copied into the round so a later edit changes no past score), and
 * each agency answers with its rectification (整改).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement per query (PGlite and the extended protocol run one at a time).
  for (const statement of SCRIPT.split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const SCRIPT = `
    CREATE TABLE evaluation_checklists (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      items jsonb NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE evaluation_rounds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      year integer NOT NULL,
      seed text NOT NULL,
      per_agency integer NOT NULL CHECK (per_agency BETWEEN 1 AND 100),
      evaluators_per_case integer NOT NULL CHECK (evaluators_per_case BETWEEN 1 AND 5),
      checklist jsonb NOT NULL,
      population jsonb NOT NULL,
      rectify_working_days integer NOT NULL CHECK (rectify_working_days BETWEEN 1 AND 60),
      status text NOT NULL DEFAULT 'scoring' CHECK (status IN ('scoring', 'closed')),
      rectify_due_at timestamptz,
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    );
    CREATE TABLE evaluation_cases (
      round_id uuid NOT NULL REFERENCES evaluation_rounds(id),
      case_id uuid NOT NULL REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      draw_order integer NOT NULL,
      PRIMARY KEY (round_id, case_id)
    );
    CREATE TABLE evaluation_scores (
      round_id uuid NOT NULL,
      case_id uuid NOT NULL,
      evaluator_id uuid NOT NULL REFERENCES users(id),
      score numeric(5, 1),
      deductions jsonb,
      comment text,
      submitted_at timestamptz,
      PRIMARY KEY (round_id, case_id, evaluator_id),
      FOREIGN KEY (round_id, case_id) REFERENCES evaluation_cases(round_id, case_id)
    );
    CREATE INDEX evaluation_scores_evaluator_idx ON evaluation_scores (evaluator_id, submitted_at);
    CREATE TABLE evaluation_rectifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      round_id uuid NOT NULL REFERENCES evaluation_rounds(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 5000),
      answered_by uuid NOT NULL REFERENCES users(id),
      answered_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX evaluation_rectifications_round_idx ON evaluation_rectifications (round_id, department_id, answered_at);
`;

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE evaluation_rectifications, evaluation_scores, evaluation_cases, evaluation_rounds, evaluation_checklists`.execute(
    db,
  );
}
