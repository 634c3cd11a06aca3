import { type Kysely, sql } from 'kysely';

/**
 * Internal units of a department (issue 13 item 5): the 承办机构 (执法稽查局、稽查支队 …) that handles a case,
 * the 法制审核机构 (法规科 …) that reviews it, and others. Users belong to one unit of their department; a case
 * keeps the unit that handled it (the submitting officer's, at submission) and the unit that reviewed it (the
 * reviewer's), so its documents are addressed to and issued by units, not the agency as a whole.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE units (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    department_id uuid NOT NULL REFERENCES departments(id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    kind text NOT NULL CHECK (kind IN ('handling', 'legal_review', 'other')),
    head_user_id uuid REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX units_department_name_idx ON units (department_id, name)`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN unit_id uuid REFERENCES units(id)`.execute(db);
  await sql`CREATE INDEX users_unit_idx ON users (unit_id)`.execute(db);
  await sql`ALTER TABLE cases ADD COLUMN handling_unit_id uuid REFERENCES units(id)`.execute(db);
  await sql`ALTER TABLE cases ADD COLUMN review_unit_id uuid REFERENCES units(id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases DROP COLUMN review_unit_id`.execute(db);
  await sql`ALTER TABLE cases DROP COLUMN handling_unit_id`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN unit_id`.execute(db);
  await sql`DROP TABLE units`.execute(db);
}
