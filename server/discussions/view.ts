import { sql } from 'kysely';
import type { Actor } from '../identity/service.js';
import { participants, visibleTo } from './access.js';
import type { MaskedPacket } from './mask.js';
import * as q from './queries.js';
import { adoptionTargets, type DiscussionContext, visibleDiscussion } from './service.js';

export interface CommentView {
  id: string;
  parentId: string | null;
  authorId: string;
  authorName: string;
  departmentName: string;
  body: string;
  createdAt: Date;
  mentions: { userId: string; name: string }[];
}

/**
 * One discussion as a participant reads it: the question, the masked packet, the comments in order (each with
 * its parent, so the page can thread them), who may be mentioned, and what the reader may do. Reading it marks
 * the reader's mentions in it read.
 */
export async function discussionDetail(ctx: DiscussionContext, actor: Actor, id: string) {
  const v = await visibleDiscussion(ctx, actor, id);
  const [comments, mentions, people, opener, dept, targets] = await Promise.all([
    q.commentsOf(ctx.db, id),
    q.mentionsOfComments(ctx.db, id),
    participants(ctx.db, v.scope),
    ctx.db.selectFrom('users').select('display_name').where('id', '=', v.d.opened_by).executeTakeFirst(),
    ctx.db.selectFrom('departments').select('name').where('id', '=', v.d.department_id).executeTakeFirst(),
    adoptionTargets(ctx, v.c),
  ]);
  await q.markMentionsRead(ctx.db, id, actor.id, ctx.clock.now());
  const adoptedLabel = targets.find((t) => t.key === v.d.adopted_into)?.label ?? v.d.adopted_into;
  const mayAdopt = actor.id === v.c.reviewer_id;
  return {
    id: v.d.id,
    caseId: v.d.case_id,
    departmentName: dept?.name ?? '',
    question: v.d.question,
    status: v.d.status,
    openedBy: v.d.opened_by,
    openedByName: opener?.display_name ?? '',
    createdAt: v.d.created_at,
    packet: v.d.masked_packet as MaskedPacket,
    summary: v.d.summary,
    closedAt: v.d.closed_at,
    adoptedInto: v.d.adopted_into,
    adoptedLabel,
    adoptedAt: v.d.adopted_at,
    comments: comments.map(
      (c): CommentView => ({
        id: c.id,
        parentId: c.parent_id,
        authorId: c.author_id,
        authorName: c.display_name,
        departmentName: c.department_name,
        body: c.body,
        createdAt: c.created_at,
        mentions: mentions
          .filter((m) => m.comment_id === c.id)
          .map((m) => ({ userId: m.user_id, name: m.display_name })),
      }),
    ),
    participants: people.map((p) => ({
      userId: p.id,
      username: p.username,
      displayName: p.display_name,
      departmentName: p.department_name,
    })),
    /** The reader of the case's own department sees the case itself; everybody else only this masked copy. */
    ownCase: actor.departmentId === v.d.department_id || actor.id === v.c.reviewer_id,
    mayClose: v.d.status === 'open' && (actor.id === v.d.opened_by || actor.id === v.c.reviewer_id),
    mayAdopt,
    adoptionTargets: mayAdopt ? targets : [],
  };
}

/** The discussions the actor takes part in, newest first; `open` only the open ones, `caseId` one case's. */
export async function listDiscussions(
  ctx: DiscussionContext,
  actor: Actor,
  filter: { status?: 'open' | 'closed'; caseId?: string } = {},
) {
  const visible = await visibleTo(ctx.db, actor);
  let query = ctx.db
    .selectFrom('case_discussions as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .innerJoin('departments as cd', 'cd.id', 'x.department_id')
    .innerJoin('users as o', 'o.id', 'x.opened_by')
    .select((eb) => [
      'x.id',
      'x.case_id',
      'x.question',
      'x.status',
      'x.created_at',
      'x.closed_at',
      'x.adopted_at',
      sql<string>`x.masked_packet->>'caseNumber'`.as('case_number'),
      sql<string>`x.masked_packet->>'title'`.as('title'),
      'cd.name as department_name',
      'o.display_name as opened_by_name',
      eb
        .selectFrom('discussion_comments as m')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('m.discussion_id', '=', 'x.id')
        .as('comments'),
    ])
    .where(visible);
  if (filter.status) query = query.where('x.status', '=', filter.status);
  if (filter.caseId) query = query.where('x.case_id', '=', filter.caseId);
  const rows = await query.orderBy('x.created_at', 'desc').orderBy('x.id').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    title: r.title,
    departmentName: r.department_name,
    question: r.question,
    status: r.status,
    openedByName: r.opened_by_name,
    comments: Number(r.comments ?? 0),
    createdAt: r.created_at,
    closedAt: r.closed_at,
    adopted: r.adopted_at !== null,
  }));
}

/** 提到我的: where the user was @-mentioned, newest first. */
export async function myMentions(ctx: DiscussionContext, actor: Actor) {
  const rows = await q.mentionsOf(ctx.db, actor.id);
  return rows.map((r) => ({
    discussionId: r.discussion_id,
    commentId: r.comment_id,
    question: r.question,
    status: r.status,
    authorName: r.author_name,
    excerpt: [...r.body].slice(0, 60).join('') + ([...r.body].length > 60 ? '…' : ''),
    createdAt: r.created_at,
    read: r.read_at !== null,
  }));
}
