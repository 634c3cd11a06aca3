import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const STATUSES = [
  'reported',
  'refused',
  'approved',
  'sent',
  'received',
  'filed',
  'declined',
  'review_requested',
  'review_declined',
  'handed_over',
  'returned',
];
const ADDED = ['supervision_requested', 'supervision_upheld'];
const list = (xs: string[]) => xs.map((s) => `'${s}'`).join(', ');

/**
 * 移送 after the public security organ's refusal (国务院令第310号 第七条、第九条): the organ forwarding a case outside
 * its jurisdiction to the competent organ (24 hours, 第七条), and the agency's 建议人民检察院立案监督 — open to it after
 * 不予立案 (第九条第一款) and due within 3 days of a 复议 that maintained it (第九条第二款) — with the procuratorate's
 * outcome. Two statuses and their columns on case_transfers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE case_transfers DROP CONSTRAINT IF EXISTS case_transfers_status_check',
    `ALTER TABLE case_transfers ADD CONSTRAINT case_transfers_status_check CHECK (status IN (${list([...STATUSES, ...ADDED])}))`,
    'ALTER TABLE case_transfers ADD COLUMN forwarded_from text',
    'ALTER TABLE case_transfers ADD COLUMN forwarded_at timestamptz',
    'ALTER TABLE case_transfers ADD COLUMN supervision_requested_at timestamptz',
    'ALTER TABLE case_transfers ADD COLUMN supervision_reasons text',
    `ALTER TABLE case_transfers ADD COLUMN supervision_result text CHECK (supervision_result IN ('filed', 'upheld'))`,
    'ALTER TABLE case_transfers ADD COLUMN supervision_notice_at timestamptz',
    'ALTER TABLE case_transfers ADD COLUMN supervision_note text',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `UPDATE case_transfers SET status = 'review_declined' WHERE status IN (${list(ADDED)})`,
    'ALTER TABLE case_transfers DROP CONSTRAINT IF EXISTS case_transfers_status_check',
    `ALTER TABLE case_transfers ADD CONSTRAINT case_transfers_status_check CHECK (status IN (${list(STATUSES)}))`,
    ...[
      'forwarded_from',
      'forwarded_at',
      'supervision_requested_at',
      'supervision_reasons',
      'supervision_result',
      'supervision_notice_at',
      'supervision_note',
    ].map((c) => `ALTER TABLE case_transfers DROP COLUMN ${c}`),
  ]);
}
