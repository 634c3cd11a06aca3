import { type Kysely, sql } from 'kysely';

/**
 * 争议焦点自动提示 (issue 15 item 6): the hints themselves are computed from the packet each time; what is kept is
 * the reviewer's mark of each (handled / not applicable, with a note), by the hint's stable key. Every mark also
 * goes into the case's record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE case_hint_marks (
    case_id uuid NOT NULL REFERENCES cases(id),
    key text NOT NULL,
    status text NOT NULL CHECK (status IN ('handled', 'not_applicable')),
    note text NOT NULL DEFAULT '',
    marked_by uuid NOT NULL REFERENCES users(id),
    marked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, key)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_hint_marks`.execute(db);
}
