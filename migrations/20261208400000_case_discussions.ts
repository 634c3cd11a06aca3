import { type Kysely, sql } from 'kysely';

/**
 * 疑难案例网上探讨: a case's reviewer opens a hard case to the reviewer pool with a masked copy of the packet frozen
 * at opening; threaded comments, @-mentions (the mentioned user's 提到我的 list), and a closing summary the reviewer
 * may adopt into the opinion (a point's note or the reasons).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_discussions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      opened_by uuid NOT NULL REFERENCES users(id),
      question text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
      masked_packet jsonb NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      summary text CHECK (summary IS NULL OR length(summary) BETWEEN 1 AND 5000),
      closed_by uuid REFERENCES users(id),
      closed_at timestamptz,
      adopted_into text,
      adopted_by uuid REFERENCES users(id),
      adopted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_discussions_case_idx ON case_discussions (case_id, created_at)`.execute(db);
  await sql`CREATE INDEX case_discussions_status_idx ON case_discussions (status, created_at DESC)`.execute(db);
  await sql`
    CREATE TABLE discussion_comments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      discussion_id uuid NOT NULL REFERENCES case_discussions(id),
      parent_id uuid REFERENCES discussion_comments(id),
      author_id uuid NOT NULL REFERENCES users(id),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX discussion_comments_discussion_idx ON discussion_comments (discussion_id, created_at)`.execute(
    db,
  );
  await sql`
    CREATE TABLE discussion_mentions (
      comment_id uuid NOT NULL REFERENCES discussion_comments(id),
      user_id uuid NOT NULL REFERENCES users(id),
      discussion_id uuid NOT NULL REFERENCES case_discussions(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      PRIMARY KEY (comment_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX discussion_mentions_user_idx ON discussion_mentions (user_id, created_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE discussion_mentions`.execute(db);
  await sql`DROP TABLE discussion_comments`.execute(db);
  await sql`DROP TABLE case_discussions`.execute(db);
}
