import { type Kysely, sql } from 'kysely';

/**
 * 满意度: the one-question survey a party answers beside its progress query (issue 16, 评议考核). One answer per
 * case — the party may change it; the latest counts — and the agency is copied so the indicator groups without
 * joining cases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE satisfaction_responses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      rating text NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
      comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
      answered_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX satisfaction_responses_year_idx ON satisfaction_responses (answered_at, department_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE satisfaction_responses`.execute(db);
}
