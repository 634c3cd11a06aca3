import { type Kysely, sql } from 'kysely';

/**
 * The agency's 正职负责人或者主持工作的负责人 on its leadership list: a transfer of a suspected crime is approved or
 * refused by that leader alone (《行政执法机关移送涉嫌犯罪案件的规定》第五条). At most one per agency.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE department_leaders ADD COLUMN presiding boolean NOT NULL DEFAULT false`.execute(db);
  await sql`CREATE UNIQUE INDEX department_leaders_presiding_idx ON department_leaders (department_id) WHERE presiding`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX department_leaders_presiding_idx`.execute(db);
  await sql`ALTER TABLE department_leaders DROP COLUMN presiding`.execute(db);
}
