import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// Rows the old code left pending with a withdrawal mark: decisions corrected before they were published.
const CORRECTED_UNPUBLISHED = `status = 'pending' AND withdraw_due_at IS NOT NULL`;

/**
 * A decision that a 复议 or a court changed, revoked, found unlawful or void before it was published is not
 * published as it stands (行政处罚法 art. 48(2) would have it withdrawn at once): its disclosure ends as
 * `cancelled` (不予公开), with when and why, and its publication deadline no longer runs. Until now such a
 * disclosure stayed `pending` with a withdrawal mark, could still be approved, and its deadline made it overdue;
 * those rows become `cancelled` here (reason and time from the mark), and their reminder and deadline timers are
 * cancelled (a job that still fires finds its timer cancelled and does nothing). A pending disclosure carries no
 * withdrawal mark any more: a mark is for a published one only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE disclosures ADD COLUMN cancelled_at timestamptz',
    `ALTER TABLE disclosures ADD COLUMN cancellation_reason text
       CHECK (cancellation_reason IS NULL OR length(cancellation_reason) BETWEEN 1 AND 2000)`,
    'ALTER TABLE disclosures DROP CONSTRAINT disclosures_status_check',
    `ALTER TABLE disclosures ADD CONSTRAINT disclosures_status_check
       CHECK (status IN ('pending', 'published', 'withdrawn', 'expired', 'cancelled'))`,
    `INSERT INTO disclosure_events (disclosure_id, type, actor_id, payload, at)
       SELECT id, 'disclosure.cancelled', NULL,
              jsonb_build_object('reason', coalesce(withdraw_required_reason, '决定已被纠正'), 'migrated', true), now()
       FROM disclosures WHERE ${CORRECTED_UNPUBLISHED}`,
    `UPDATE timers SET status = 'cancelled', ended_at = now()
       WHERE status = 'pending' AND kind IN ('disclosure_reminder', 'disclosure_deadline')
         AND EXISTS (SELECT 1 FROM disclosures d
                     WHERE timers.execution_id = timers.kind || ':' || d.id
                       AND d.status = 'pending' AND d.withdraw_due_at IS NOT NULL)`,
    `UPDATE disclosures
       SET status = 'cancelled',
           cancelled_at = coalesce(
             (SELECT min(e.at) FROM disclosure_events e
               WHERE e.disclosure_id = disclosures.id AND e.type = 'disclosure.withdrawal_required'),
             now()),
           cancellation_reason = coalesce(withdraw_required_reason, '决定已被纠正'),
           withdraw_due_at = NULL,
           withdraw_required_reason = NULL
       WHERE ${CORRECTED_UNPUBLISHED}`,
    `ALTER TABLE disclosures ADD CONSTRAINT disclosures_cancelled_check
       CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)
              AND (status <> 'cancelled' OR cancellation_reason IS NOT NULL))`,
    `ALTER TABLE disclosures ADD CONSTRAINT disclosures_pending_unmarked_check
       CHECK (status <> 'pending' OR withdraw_due_at IS NULL)`,
  ]);
}

/** Back to the old model: a cancelled disclosure becomes pending again with its mark (its timers stay cancelled). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE disclosures DROP CONSTRAINT disclosures_pending_unmarked_check',
    'ALTER TABLE disclosures DROP CONSTRAINT disclosures_cancelled_check',
    `UPDATE disclosures
       SET status = 'pending', withdraw_due_at = cancelled_at, withdraw_required_reason = cancellation_reason
       WHERE status = 'cancelled'`,
    'ALTER TABLE disclosures DROP CONSTRAINT disclosures_status_check',
    `ALTER TABLE disclosures ADD CONSTRAINT disclosures_status_check
       CHECK (status IN ('pending', 'published', 'withdrawn', 'expired'))`,
    'ALTER TABLE disclosures DROP COLUMN cancellation_reason',
    'ALTER TABLE disclosures DROP COLUMN cancelled_at',
  ]);
}
