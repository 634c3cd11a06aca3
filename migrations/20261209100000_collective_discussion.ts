import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const OLD_DOC_KINDS = `('review_opinion', 'correction_notice', 'coordination_record', 'chief_decision',
  'supervision_opinion', 'rectification_notice')`;
const DOC_KINDS = `('review_opinion', 'correction_notice', 'coordination_record', 'chief_decision',
  'supervision_opinion', 'rectification_notice', 'collective_record')`;

/**
 * 集体讨论 (行政处罚法第五十七条第二款): an agency's leadership (领导班子), the members a collective discussion may
 * convene, in the order the minutes list them; and the minutes (集体讨论记录) as one more document kind.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE department_leaders (
      department_id uuid NOT NULL REFERENCES departments(id),
      user_id uuid NOT NULL REFERENCES users(id),
      position text NOT NULL CHECK (length(position) BETWEEN 1 AND 50),
      sort integer NOT NULL CHECK (sort BETWEEN 0 AND 99),
      updated_by uuid NOT NULL REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (department_id, user_id)
    )`,
    ...['document_sequences', 'document_templates', 'documents'].flatMap((t) => [
      `ALTER TABLE ${t} DROP CONSTRAINT ${t}_kind_check`,
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_kind_check CHECK (kind IN ${DOC_KINDS})`,
    ]),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TABLE department_leaders',
    "DELETE FROM document_templates WHERE kind = 'collective_record'",
    "DELETE FROM document_sequences WHERE kind = 'collective_record'",
    ...['document_sequences', 'document_templates', 'documents'].flatMap((t) => [
      `ALTER TABLE ${t} DROP CONSTRAINT ${t}_kind_check`,
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_kind_check CHECK (kind IN ${OLD_DOC_KINDS})`,
    ]),
  ]);
}
