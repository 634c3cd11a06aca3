import type { Kysely } from 'kysely';
import type { CaseContext } from '../cases/context.js';
import { pointsForCase } from '../cases/point-lists.js';
import { visibleCase } from '../cases/service.js';
import type { Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import type { Actor } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import { recordCaseEvent } from '../records/append.js';
import { type DiscussionScope, scopeOf, takingPart } from './access.js';
import { maskPacket, maskText } from './mask.js';
import * as q from './queries.js';
import type { DiscussionRow } from './tables.js';

export interface DiscussionContext {
  db: Kysely<DB>;
  clock: Clock;
  history: HistoryListeners;
  cases: CaseContext;
}

/** Where an adopted summary goes: the opinion's reasons (审核理由). Any other target is a review point's key. */
export const REASONS = 'reasons';

const notFound = () => new AppError(404, 'NOT_FOUND', '探讨不存在');

function caseOf(ctx: DiscussionContext, caseId: string) {
  return ctx.db
    .selectFrom('cases')
    .select(['id', 'department_id', 'reviewer_id', 'instance_id', 'packet', 'catalogue_item'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
}

export interface VisibleDiscussion {
  d: DiscussionRow;
  c: Awaited<ReturnType<typeof caseOf>>;
  scope: DiscussionScope;
}

/** A discussion the actor takes part in; for everybody else it does not exist (404). */
export async function visibleDiscussion(ctx: DiscussionContext, actor: Actor, id: string): Promise<VisibleDiscussion> {
  const d = UUID.test(id) ? await q.findDiscussion(ctx.db, id) : undefined;
  if (!d) throw notFound();
  const c = await caseOf(ctx, d.case_id);
  const scope = await scopeOf(ctx.db, c);
  if (!(await takingPart(ctx.db, scope, [actor.id])).has(actor.id)) throw notFound();
  return { d, c, scope };
}

/**
 * 发起探讨: the case's reviewer puts a question to the pool; the packet is masked and frozen with it, so what
 * reviewers of other departments read never changes and never holds the party's data. Recorded in the case.
 */
export async function openDiscussion(ctx: DiscussionContext, actor: Actor, caseId: string, question: string) {
  const c = await visibleCase(ctx.cases, actor, caseId);
  if (c.reviewer_id !== actor.id) throw new AppError(403, 'FORBIDDEN', '只有本案的法制审核人员可以发起疑难案例探讨');
  const packet = c.packet as Packet;
  const masked = maskText(question.trim(), packet.party);
  if (!masked) throw new AppError(400, 'VALIDATION_FAILED', '请填写探讨的问题', { field: 'question' });
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const d = await q.insertDiscussion(trx, {
      caseId: c.id,
      departmentId: c.department_id,
      openedBy: actor.id,
      question: masked,
      packet: maskPacket(packet),
      at,
    });
    await recordCaseEvent(ctx.history, trx, c, {
      type: 'discussion.opened',
      actorId: actor.id,
      payload: { discussionId: d.id, question: masked },
      at,
    });
    return d;
  });
}

const MENTION = /@([A-Za-z0-9_.-]{2,64})/g;

/** The users a comment mentions: the ids given and the @username written; each must take part. */
async function mentioned(ctx: DiscussionContext, v: VisibleDiscussion, actor: Actor, body: string, ids: string[]) {
  const names = [...new Set([...body.matchAll(MENTION)].map((m) => m[1]))];
  const byName = names.length
    ? await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', names).execute()
    : [];
  const wanted = [...new Set([...ids, ...byName.map((u) => u.id)])].filter((id) => id !== actor.id);
  const ok = await takingPart(ctx.db, v.scope, wanted);
  const outside = wanted.filter((id) => !ok.has(id));
  if (outside.length) {
    throw new AppError(400, 'VALIDATION_FAILED', '只能提到本案法制审核机构或可调用的人才库中的审核人员', {
      field: 'mentions',
      outside,
    });
  }
  return wanted;
}

/** A comment, or a reply to one (a thread); the users it @-mentions find it under 提到我的. */
export async function addComment(
  ctx: DiscussionContext,
  actor: Actor,
  id: string,
  input: { body: string; parentId?: string | null; mentions?: string[] },
) {
  const v = await visibleDiscussion(ctx, actor, id);
  if (v.d.status !== 'open') throw new AppError(409, 'CONFLICT', '探讨已结束，不能再发表意见');
  const parentId = input.parentId ?? null;
  if (parentId) {
    const parent = await q.findComment(ctx.db, parentId);
    if (parent?.discussion_id !== id) {
      throw new AppError(400, 'VALIDATION_FAILED', '所回复的意见不属于本探讨', { field: 'parentId' });
    }
  }
  const body = maskText(input.body.trim(), (v.c.packet as Packet).party);
  if (!body) throw new AppError(400, 'VALIDATION_FAILED', '请填写意见', { field: 'body' });
  const users = await mentioned(ctx, v, actor, input.body, input.mentions ?? []);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await q.insertComment(trx, { discussionId: id, parentId, authorId: actor.id, body, at });
    await q.insertMentions(trx, { commentId: row.id, discussionId: id, userIds: users, at });
    return { id: row.id, mentioned: users };
  });
}

/** 结束探讨: the opener or the case's reviewer closes it with a summary; the record keeps the summary and count. */
export async function closeDiscussion(ctx: DiscussionContext, actor: Actor, id: string, summaryText: string) {
  const v = await visibleDiscussion(ctx, actor, id);
  if (actor.id !== v.d.opened_by && actor.id !== v.c.reviewer_id) {
    throw new AppError(403, 'FORBIDDEN', '只有发起人或本案的法制审核人员可以结束探讨');
  }
  if (v.d.status !== 'open') throw new AppError(409, 'CONFLICT', '探讨已结束');
  const summary = maskText(summaryText.trim(), (v.c.packet as Packet).party);
  if (!summary) throw new AppError(400, 'VALIDATION_FAILED', '请填写探讨总结', { field: 'summary' });
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const closed = await q.closeDiscussion(trx, id, { summary, by: actor.id, at });
    if (Number(closed.numUpdatedRows) !== 1) throw new AppError(409, 'CONFLICT', '探讨已结束');
    const comments = await q.countComments(trx, id);
    await recordCaseEvent(ctx.history, trx, v.c, {
      type: 'discussion.closed',
      actorId: actor.id,
      payload: { discussionId: id, comments, summary },
      at,
    });
  });
  return { summary, closedAt: at };
}

/** The points a summary may be adopted into: the case's review points, and the reasons. */
export async function adoptionTargets(ctx: DiscussionContext, c: VisibleDiscussion['c']) {
  const points = await pointsForCase(ctx.db, c);
  return [{ key: REASONS, label: '审核理由' }, ...points.map((p) => ({ key: p.key, label: `${p.label}（说明）` }))];
}

/**
 * 采纳: the case's reviewer adopts the closed discussion's summary into the opinion they write — a point's 说明 or
 * the reasons. The review form takes it in (adoptedText); the record keeps where it went.
 */
export async function adoptSummary(ctx: DiscussionContext, actor: Actor, id: string, into: string) {
  const v = await visibleDiscussion(ctx, actor, id);
  if (actor.id !== v.c.reviewer_id) throw new AppError(403, 'FORBIDDEN', '只有本案的法制审核人员可以采纳探讨总结');
  if (v.d.status !== 'closed' || !v.d.summary) throw new AppError(409, 'CONFLICT', '请先结束探讨并形成总结');
  const target = (await adoptionTargets(ctx, v.c)).find((t) => t.key === into);
  if (!target) throw new AppError(400, 'VALIDATION_FAILED', '采纳位置不是本案的审核事项或审核理由', { field: 'into' });
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await q.adoptSummary(trx, id, { into, by: actor.id, at });
    await recordCaseEvent(ctx.history, trx, v.c, {
      type: 'discussion.adopted',
      actorId: actor.id,
      payload: { discussionId: id, into, label: target.label },
      at,
    });
  });
  return { into, label: target.label, adoptedAt: at };
}

export const ADOPTED_PREFIX = '【采纳疑难案例探讨意见】';

/**
 * The review form's values with the summaries the reviewer adopted since `since` (their last saved draft or the
 * case's last opinion): each appended to its point's 说明 or to the reasons, once.
 */
export async function withAdoptions<V extends Record<string, string | string[]>>(
  db: Kysely<DB>,
  caseId: string,
  userId: string,
  since: Date | null,
  values: V,
): Promise<V> {
  const rows = await q.adoptionsSince(db, caseId, userId, since);
  const out: Record<string, string | string[]> = { ...values };
  for (const r of rows) {
    if (!r.summary || !r.adopted_into) continue;
    const field = r.adopted_into === REASONS ? 'reasons' : `note_${r.adopted_into}`;
    const before = typeof out[field] === 'string' ? (out[field] as string) : '';
    if (before.includes(r.summary)) continue;
    out[field] = `${before}${before ? '\n' : ''}${ADOPTED_PREFIX}${r.summary}`;
  }
  return out as V;
}
