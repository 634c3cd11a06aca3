import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { MaskedPacket } from './mask.js';

type Db = Kysely<DB> | Transaction<DB>;

export function findDiscussion(db: Db, id: string) {
  return db.selectFrom('case_discussions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertDiscussion(
  db: Db,
  v: { caseId: string; departmentId: string; openedBy: string; question: string; packet: MaskedPacket; at: Date },
) {
  return db
    .insertInto('case_discussions')
    .values({
      case_id: v.caseId,
      department_id: v.departmentId,
      opened_by: v.openedBy,
      question: v.question,
      masked_packet: JSON.stringify(v.packet),
      created_at: v.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertComment(
  db: Db,
  v: { discussionId: string; parentId: string | null; authorId: string; body: string; at: Date },
) {
  return db
    .insertInto('discussion_comments')
    .values({
      discussion_id: v.discussionId,
      parent_id: v.parentId,
      author_id: v.authorId,
      body: v.body,
      created_at: v.at,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function insertMentions(
  db: Db,
  v: { commentId: string; discussionId: string; userIds: readonly string[]; at: Date },
) {
  if (v.userIds.length === 0) return;
  await db
    .insertInto('discussion_mentions')
    .values(
      v.userIds.map((u) => ({ comment_id: v.commentId, discussion_id: v.discussionId, user_id: u, created_at: v.at })),
    )
    .execute();
}

export function commentsOf(db: Db, discussionId: string) {
  return db
    .selectFrom('discussion_comments as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'm.id',
      'm.parent_id',
      'm.author_id',
      'm.body',
      'm.created_at',
      'u.display_name',
      'd.name as department_name',
    ])
    .where('m.discussion_id', '=', discussionId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
}

export async function countComments(db: Db, discussionId: string): Promise<number> {
  const row = await db
    .selectFrom('discussion_comments')
    .select(sql<string>`count(*)`.as('n'))
    .where('discussion_id', '=', discussionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findComment(db: Db, id: string) {
  return db.selectFrom('discussion_comments').select(['id', 'discussion_id']).where('id', '=', id).executeTakeFirst();
}

export function mentionsOfComments(db: Db, discussionId: string) {
  return db
    .selectFrom('discussion_mentions as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.comment_id', 'n.user_id', 'u.display_name'])
    .where('n.discussion_id', '=', discussionId)
    .execute();
}

/** The user's 提到我的: mentions newest first, with the discussion's question and whether read. */
export function mentionsOf(db: Db, userId: string, limit = 100) {
  return db
    .selectFrom('discussion_mentions as n')
    .innerJoin('case_discussions as x', 'x.id', 'n.discussion_id')
    .innerJoin('discussion_comments as m', 'm.id', 'n.comment_id')
    .innerJoin('users as a', 'a.id', 'm.author_id')
    .select([
      'n.discussion_id',
      'n.comment_id',
      'n.created_at',
      'n.read_at',
      'x.question',
      'x.status',
      'm.body',
      'a.display_name as author_name',
    ])
    .where('n.user_id', '=', userId)
    .orderBy('n.created_at', 'desc')
    .limit(limit)
    .execute();
}

export function markMentionsRead(db: Db, discussionId: string, userId: string, at: Date) {
  return db
    .updateTable('discussion_mentions')
    .set({ read_at: at })
    .where('discussion_id', '=', discussionId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}

export function closeDiscussion(db: Db, id: string, v: { summary: string; by: string; at: Date }) {
  return db
    .updateTable('case_discussions')
    .set({ status: 'closed', summary: v.summary, closed_by: v.by, closed_at: v.at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

export function adoptSummary(db: Db, id: string, v: { into: string; by: string; at: Date }) {
  return db
    .updateTable('case_discussions')
    .set({ adopted_into: v.into, adopted_by: v.by, adopted_at: v.at })
    .where('id', '=', id)
    .executeTakeFirst();
}

export function discussionsOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('case_discussions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Summaries the reviewer adopted on a case after `since`: the review form takes them in. */
export function adoptionsSince(db: Db, caseId: string, userId: string, since: Date | null) {
  let q = db
    .selectFrom('case_discussions')
    .select(['id', 'summary', 'adopted_into', 'adopted_at'])
    .where('case_id', '=', caseId)
    .where('adopted_by', '=', userId)
    .where('adopted_at', 'is not', null)
    .orderBy('adopted_at');
  if (since) q = q.where('adopted_at', '>', since);
  return q.execute();
}
