import { type Kysely, sql } from 'kysely';

/**
 * Law library (法律法规库): laws, their versions, and each version's articles with segmented tokens
 * (space-joined jieba words) searched through a 'simple' tsvector, the same on PostgreSQL and PGlite.
 * Article corrections keep the text they replaced in law_article_revisions. Data comes from `fashen laws import`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE law_laws (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title text NOT NULL UNIQUE,
      short_title text NOT NULL,
      category text NOT NULL,
      level text NOT NULL,
      repealed_on date,
      title_tokens text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX law_laws_short_title_idx ON law_laws (short_title)`.execute(db);
  await sql`
    CREATE TABLE law_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      law_id uuid NOT NULL REFERENCES law_laws(id) ON DELETE CASCADE,
      version_date date NOT NULL,
      effective_on date,
      effective_source text NOT NULL,
      events jsonb NOT NULL DEFAULT '[]',
      source_files text[] NOT NULL DEFAULT '{}',
      source_hash text NOT NULL,
      uploaded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (law_id, version_date)
    )`.execute(db);
  await sql`
    CREATE TABLE law_articles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      version_id uuid NOT NULL REFERENCES law_versions(id) ON DELETE CASCADE,
      number integer NOT NULL,
      sub integer NOT NULL DEFAULT 0,
      label text NOT NULL,
      chapter text,
      paragraphs jsonb NOT NULL,
      text text NOT NULL,
      tokens text NOT NULL,
      revision integer NOT NULL DEFAULT 1,
      UNIQUE (version_id, number, sub)
    )`.execute(db);
  await sql`CREATE INDEX law_articles_tokens_idx ON law_articles USING gin (to_tsvector('simple', tokens))`.execute(db);
  await sql`
    CREATE TABLE law_article_revisions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      article_id uuid NOT NULL REFERENCES law_articles(id) ON DELETE CASCADE,
      revision integer NOT NULL,
      paragraphs jsonb NOT NULL,
      text text NOT NULL,
      note text,
      changed_by uuid REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (article_id, revision)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE law_article_revisions, law_articles, law_versions, law_laws`.execute(db);
}
