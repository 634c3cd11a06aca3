import { type Kysely, sql } from 'kysely';

/**
 * 同案同罚: the city's decided cases as the similarity search reads them. One row per decided case with its
 * category, its terms (jieba words of the facts, `a:<law>#<article>` for each article cited and `i:<code>` for its
 * catalogue item) as a tsvector made with array_to_tsvector (no parser, the same on PostgreSQL and PGlite) and its
 * fine; similar_terms counts the cases holding each term (the idf of the ranking; the row '' counts the cases).
 * Rows are derived from `cases` (status decided) and caught up from cases.updated_at before each search.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE similar_cases (
      case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
      department_id uuid NOT NULL,
      category text NOT NULL,
      terms tsvector NOT NULL,
      fine numeric,
      decided_on date,
      source_updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX similar_cases_terms_idx ON similar_cases USING gin (terms)`.execute(db);
  await sql`CREATE INDEX similar_cases_source_idx ON similar_cases (source_updated_at)`.execute(db);
  await sql`
    CREATE TABLE similar_terms (
      term text PRIMARY KEY,
      df integer NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE similar_terms, similar_cases`.execute(db);
}
