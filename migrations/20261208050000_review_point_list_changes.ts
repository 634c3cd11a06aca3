import { type Kysely, sql } from 'kysely';

/**
 * Who changed a department's review points (审核要点), when, and to what: the list a reviewer signs against is part
 * of the review's substance, so each saved list is kept, like the history of the catalogue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE review_point_list_changes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      department_id uuid NOT NULL REFERENCES departments(id),
      item_code text NOT NULL DEFAULT '',
      points jsonb NOT NULL,
      omitted jsonb NOT NULL,
      changed_by uuid NOT NULL REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX review_point_list_changes_department_idx
    ON review_point_list_changes (department_id, changed_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE review_point_list_changes`.execute(db);
}
