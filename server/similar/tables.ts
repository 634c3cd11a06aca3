import type { ColumnType } from 'kysely';

/** A decided case as the similarity search reads it (derived from `cases`; see the migration). */
export interface SimilarCasesTable {
  case_id: string;
  department_id: string;
  category: string;
  /** tsvector of the case's terms; written with array_to_tsvector, read through @@. */
  terms: ColumnType<string, string, string>;
  fine: ColumnType<string | null, number | null, number | null>;
  decided_on: string | null;
  source_updated_at: Date;
}

/** How many indexed cases hold each term; the row with term '' counts the indexed cases. */
export interface SimilarTermsTable {
  term: string;
  df: number;
}

export interface SimilarTables {
  similar_cases: SimilarCasesTable;
  similar_terms: SimilarTermsTable;
}
