import { type Kysely, sql } from 'kysely';

/**
 * The similar-cases search looks at a category's decisions of the last year first (server/similar/service.ts):
 * this index gives PostgreSQL that range as a bitmap to intersect with the GIN index's candidates, so an article
 * that a sixth of the city's cases cite costs a year of them. At a million cases (bench/million.ts) the search had
 * read every case of the category citing the article, 43,809 rows in 263 ms, on every case page under review;
 * now the year's 8,919 in 52 ms (EXPLAIN ANALYZE), and the case page takes 58 ms p50 instead of 266 ms.
 * Plain CREATE INDEX (migrations run in a transaction): it holds a write lock on similar_cases while it builds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX similar_cases_recent_idx ON similar_cases (category, decided_on)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX similar_cases_recent_idx`.execute(db);
}
