import { type Kysely, sql } from 'kysely';

/**
 * 行政复议 and 行政诉讼 outcomes of a decision (维持, 撤销, 变更, 确认违法, 确认无效, 驳回), and the withdrawal they
 * oblige: a published decision changed, revoked, found unlawful or void is withdrawn from the portal within
 * three working days with its reason published (行政处罚法 arts. 48(2), 85).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE decision_challenges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      kind text NOT NULL CHECK (kind IN ('reconsideration', 'litigation')),
      organ text NOT NULL CHECK (length(organ) BETWEEN 1 AND 200),
      outcome text NOT NULL CHECK (outcome IN ('upheld', 'dismissed', 'changed', 'revoked', 'confirmed_unlawful', 'confirmed_void')),
      decided_on date NOT NULL,
      document_number text NOT NULL CHECK (length(document_number) BETWEEN 1 AND 100),
      note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX decision_challenges_case_idx ON decision_challenges (case_id, decided_on)`.execute(db);
  await sql`ALTER TABLE disclosures ADD COLUMN withdraw_due_at timestamptz, ADD COLUMN withdraw_required_reason text`.execute(
    db,
  );
  // The portal's 撤回说明 list.
  await sql`CREATE INDEX disclosures_withdrawn_idx ON disclosures (withdrawn_at DESC, id) WHERE status = 'withdrawn'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX disclosures_withdrawn_idx`.execute(db);
  await sql`ALTER TABLE disclosures DROP COLUMN withdraw_due_at, DROP COLUMN withdraw_required_reason`.execute(db);
  await sql`DROP TABLE decision_challenges`.execute(db);
}
