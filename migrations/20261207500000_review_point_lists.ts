import { type Kysely, sql } from 'kysely';

/**
 * Review points per department (issue 13): the 118号 list is the default; a department's legal unit adds its own
 * points (and may drop 其他), for the whole department (item_code '') or for one catalogue item.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE review_point_lists (
    department_id uuid NOT NULL REFERENCES departments(id),
    item_code text NOT NULL DEFAULT '',
    points jsonb NOT NULL DEFAULT '[]',
    omitted jsonb NOT NULL DEFAULT '[]',
    updated_by uuid REFERENCES users(id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (department_id, item_code)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE review_point_lists`.execute(db);
}
