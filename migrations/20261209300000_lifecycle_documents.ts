import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const DOC_KINDS = "kind IN ('penalty_notice', 'hearing_notice', 'service_receipt')";
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
 * The documents of the case lifecycle (行政处罚法 arts. 44, 45, 61, 63, 64): 行政处罚事先告知书 (with the right to a
 * hearing where art. 63 applies), 听证通知书 and 送达回证 — three more document kinds, no new table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of DOC_TABLES) await widen(db, t, `${t}_kind_check`, DOC_KINDS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `DELETE FROM document_templates WHERE ${DOC_KINDS}`,
    `DELETE FROM document_sequences WHERE ${DOC_KINDS}`,
  ]);
  // The widened constraints keep their extra clause: it no longer matches any row, and an older release ignores it.
}
