import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const TIMER_KINDS = "kind IN ('transfer_reminder', 'transfer_deadline')";
const DOC_KIND = "kind = 'transfer_notice'";
const DOC_TABLES = ['document_sequences', 'document_templates', 'documents'];

/**
 * Adds `extra` to a CHECK constraint as it stands, rather than restating its whole list: other migrations of the
 * same release widen the same constraints (new document and timer kinds), and each keeps what the others added.
 */
async function widen(db: Kysely<unknown>, table: string, constraint: string, extra: string) {
  const { rows } = await sql<{ def: string }>`
    SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE t.relname = ${table} AND c.conname = ${constraint}`.execute(db);
  const current = rows[0]?.def.replace(/^CHECK\s*/, '') ?? 'false';
  await run(db, [
    `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`,
    `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${current} OR (${extra}))`,
  ]);
}

/**
 * 移送涉嫌犯罪案件 (行政执法机关移送涉嫌犯罪案件的规定, 国务院令第310号; 行政处罚法 art. 27): one row per transfer of a
 * case, from the 专案组's written report through the chief's approval, the 移送书 and its delivery, the public
 * security organ's receipt and decision, the agency's 复议 request, to the handover or the case's return to the
 * agency. Its statutory time limits are owned timers (kinds transfer_reminder / transfer_deadline); the 移送书 is
 * one more document kind (transfer_notice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE case_transfers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      status text NOT NULL CHECK (status IN ('reported', 'refused', 'approved', 'sent', 'received', 'filed',
        'declined', 'review_requested', 'review_declined', 'handed_over', 'returned')),
      police_organ text NOT NULL CHECK (length(police_organ) BETWEEN 2 AND 100),
      procuratorate text NOT NULL CHECK (length(procuratorate) BETWEEN 2 AND 100),
      team_ids jsonb NOT NULL,
      reasons text NOT NULL CHECK (length(reasons) BETWEEN 1 AND 10000),
      evidence jsonb NOT NULL,
      reported_by uuid NOT NULL REFERENCES users(id),
      reported_at timestamptz NOT NULL,
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_note text,
      document_id uuid REFERENCES documents(id),
      sent_at timestamptz,
      sent_by uuid REFERENCES users(id),
      delivery text,
      received_at timestamptz,
      receiver text,
      police_decision text CHECK (police_decision IN ('filed', 'declined')),
      police_notice_at timestamptz,
      police_reasons text,
      review_requested_at timestamptz,
      review_reasons text,
      review_result text CHECK (review_result IN ('filed', 'declined')),
      review_notice_at timestamptz,
      review_note text,
      handed_over_at timestamptz,
      handover_note text,
      returned_at timestamptz,
      returned_by uuid REFERENCES users(id),
      return_reason text,
      step text,
      step_due_at timestamptz,
      reminded_at timestamptz,
      overdue_at timestamptz,
      overdue_steps jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX case_transfers_case_idx ON case_transfers (case_id, created_at)',
    `CREATE UNIQUE INDEX case_transfers_one_open ON case_transfers (case_id)
      WHERE status NOT IN ('refused', 'returned', 'handed_over')`,
    'CREATE INDEX case_transfers_department_idx ON case_transfers (department_id, status)',
  ]);
  await widen(db, 'timers', 'timers_kind_check', TIMER_KINDS);
  await widen(db, 'timers', 'timers_instance_or_disclosure', TIMER_KINDS);
  for (const t of DOC_TABLES) await widen(db, t, `${t}_kind_check`, DOC_KIND);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `DELETE FROM timers WHERE ${TIMER_KINDS}`,
    'DROP TABLE case_transfers',
    `DELETE FROM document_templates WHERE ${DOC_KIND}`,
    `DELETE FROM document_sequences WHERE ${DOC_KIND}`,
  ]);
  // The widened constraints keep their extra clause: it no longer matches any row, and an older release ignores it.
}
