import { type Kysely, sql } from 'kysely';

/**
 * A case's runs by case number (server/cases/resume.ts caseHistory, on every case page: a case resumed after a
 * transfer runs a new instance under the same business key). Without it the lookup read every instance of the
 * case's department through process_instances_department_idx and filtered them: at a million cases (33,000 a
 * department) 78 ms p50 / 100 ms p95 for GET /api/cases/:id in bench/million.ts, the slowest read measured there.
 * Partial: instances started without a business key (the generic instance API) are never looked up by it.
 * Plain CREATE INDEX (migrations run in a transaction): on a large existing database it holds a write lock on
 * process_instances while it builds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX process_instances_business_key_idx ON process_instances (department_id, business_key)
    WHERE business_key IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX process_instances_business_key_idx`.execute(db);
}
