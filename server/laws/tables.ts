import type { Generated } from 'kysely';
import type { ParsedParagraph } from './parse.js';

export interface LawLawsTable {
  id: Generated<string>;
  title: string;
  short_title: string;
  category: string;
  level: string;
  repealed_on: string | null;
  /** Why and by what the law was repealed (废止), as the admin who marked it wrote. */
  repeal_note: Generated<string | null>;
  title_tokens: Generated<string>;
  created_at: Generated<Date>;
}

export interface LawVersionsTable {
  id: Generated<string>;
  law_id: string;
  version_date: string;
  effective_on: string | null;
  effective_source: string;
  events: unknown;
  source_files: string[];
  source_hash: string;
  uploaded_by: string | null;
  /** The day this version alone ceased to be in force (a version repealed without a successor); null: not. */
  repealed_on: Generated<string | null>;
  repeal_note: Generated<string | null>;
  created_at: Generated<Date>;
}

/** Each repeal mark set or removed (repealed_on null), on a law or on one of its versions. */
export interface LawRepealsTable {
  id: Generated<string>;
  law_id: string;
  version_id: string | null;
  repealed_on: string | null;
  note: string;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface LawArticlesTable {
  id: Generated<string>;
  version_id: string;
  number: number;
  sub: Generated<number>;
  label: string;
  chapter: string | null;
  paragraphs: ParsedParagraph[] | string;
  text: string;
  tokens: string;
  revision: Generated<number>;
}

export interface LawArticleRevisionsTable {
  id: Generated<string>;
  article_id: string;
  revision: number;
  paragraphs: ParsedParagraph[] | string;
  text: string;
  note: string | null;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface LawTables {
  law_laws: LawLawsTable;
  law_versions: LawVersionsTable;
  law_articles: LawArticlesTable;
  law_article_revisions: LawArticleRevisionsTable;
  law_repeals: LawRepealsTable;
}
