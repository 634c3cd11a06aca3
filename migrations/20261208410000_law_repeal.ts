import { type Kysely, sql } from 'kysely';

/**
 * Repeal marks (废止) of laws and of single versions, which the source files do not carry: an admin sets the day
 * from which a law (or one version) is no longer in force, with a note; every mark and its removal is kept in
 * law_repeals, like article corrections in law_article_revisions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE law_laws ADD COLUMN repeal_note text`.execute(db);
  await sql`ALTER TABLE law_versions ADD COLUMN repealed_on date, ADD COLUMN repeal_note text`.execute(db);
  await sql`
    CREATE TABLE law_repeals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      law_id uuid NOT NULL REFERENCES law_laws(id) ON DELETE CASCADE,
      version_id uuid REFERENCES law_versions(id) ON DELETE CASCADE,
      repealed_on date,
      note text NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
      changed_by uuid REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX law_repeals_law_idx ON law_repeals (law_id, changed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE law_repeals`.execute(db);
  await sql`ALTER TABLE law_versions DROP COLUMN repealed_on, DROP COLUMN repeal_note`.execute(db);
  await sql`ALTER TABLE law_laws DROP COLUMN repeal_note`.execute(db);
}
