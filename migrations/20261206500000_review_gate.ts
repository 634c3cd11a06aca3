import { type Kysely, sql } from 'kysely';

/**
 * The review as a practitioner signs it (issue 13): a coordination's outcome is kept on the case (the gate reads
 * it: only an escalated disagreement on the current packet reaches the chief without a passed review), and a
 * user has a position (职务) that signs the chief's decision instead of a fixed "主要负责人".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases ADD COLUMN coordination jsonb`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN position text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users DROP COLUMN position`.execute(db);
  await sql`ALTER TABLE cases DROP COLUMN coordination`.execute(db);
}
