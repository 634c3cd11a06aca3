import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Case text search within a department (bench/million.ts, issue 17). The bigram index of migration 20261208700000
 * answers a search of the whole city; a department's case list searched for a word common in the city (排污许可 in
 * one case title of six) took every matching case of every department from the index (166,667 of a million) and
 * intersected them with the department's 33,000, 110 ms. The index now holds each bigram twice: as it is (the
 * justice bureau searches every department) and prefixed with the case's department id, so a department's search
 * reads only that department's posting lists. A bigram is two characters and a prefixed one 38, so they never
 * collide. Built-in array GIN, no extension (btree_gin is not in PGlite). The functions name their schema: an index
 * is built with search_path set to pg_catalog (PostgreSQL 17, hence PGlite).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE FUNCTION search_bigrams_in(department uuid, t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
       SELECT coalesce(array_agg(department::text || b), '{}'::text[]) FROM unnest(public.search_bigrams(t)) AS b
     $$`,
    `CREATE FUNCTION case_search_keys(department uuid, case_number text, title text) RETURNS text[]
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
       SELECT public.search_bigrams(case_number) || public.search_bigrams(title)
         || public.search_bigrams_in(department, case_number) || public.search_bigrams_in(department, title)
     $$`,
    'DROP INDEX cases_search_idx',
    'CREATE INDEX cases_search_idx ON cases USING gin (case_search_keys(department_id, case_number, title))',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX cases_search_idx',
    'CREATE INDEX cases_search_idx ON cases USING gin ((search_bigrams(case_number) || search_bigrams(title)))',
    'DROP FUNCTION case_search_keys(uuid, text, text)',
    'DROP FUNCTION search_bigrams_in(uuid, text)',
  ]);
}
