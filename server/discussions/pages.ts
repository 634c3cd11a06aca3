import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { visibleCase } from '../cases/service.js';
import { AppError, statusOf } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import type { Actor } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { addComment, adoptSummary, closeDiscussion, type DiscussionContext, openDiscussion } from './service.js';
import { type CommentView, discussionDetail, listDiscussions, myMentions } from './view.js';

const VIEW = (name: string) => `../../discussions/views/${name}.hbs`;
const ROLES = ['reviewer', 'legal_admin'] as const;
const CATEGORY: Record<string, string> = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收征用',
};
const DONE: Record<string, string> = {
  opened: '已发起探讨，人才库中的审核人员可以看到脱敏后的送审材料并发表意见。',
  commented: '意见已发表。',
  closed: '探讨已结束，总结已记入案卷。',
  adopted: '总结已采纳，将写入您办理审核任务时的审核意见。',
};
const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
const many = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** The comments in thread order (each reply under its parent), with their depth for indentation. */
function threaded(comments: CommentView[]) {
  const children = new Map<string | null, CommentView[]>();
  for (const c of comments) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c]);
  const out: (CommentView & { depth: number })[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const c of children.get(parent) ?? []) {
      out.push({ ...c, depth: Math.min(depth, 6) });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The workbench's 疑难案例探讨 pages: the pool's list, a discussion with its threads, and opening one from a case. */
export const discussionPages: FastifyPluginAsync = async (app) => {
  const ctx = (): DiscussionContext => ({
    db: app.db,
    clock: app.clock,
    history: app.runtime.history,
    cases: app.cases,
  });

  app.get('/discussions', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const [open, closed, mentions] = await Promise.all([
      listDiscussions(ctx(), actor, { status: 'open' }),
      listDiscussions(ctx(), actor, { status: 'closed' }),
      myMentions(ctx(), actor),
    ]);
    return app.renderPage(
      reply,
      VIEW('discussions'),
      {
        title: '疑难案例探讨',
        open,
        closed: closed.slice(0, 30),
        mentions,
        unread: mentions.filter((m) => !m.read).length,
      },
      actor,
    );
  });

  const renderNew = async (reply: FastifyReply, actor: Actor, caseId: string, error?: string, question = '') => {
    if (!UUID.test(caseId)) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
    const c = await visibleCase(app.cases, actor, caseId);
    if (c.reviewer_id !== actor.id) throw new AppError(403, 'FORBIDDEN', '只有本案的法制审核人员可以发起疑难案例探讨');
    return app.renderPage(
      reply,
      VIEW('discussion-new'),
      { title: '发起疑难案例探讨', c: { id: c.id, caseNumber: c.case_number, title: c.title }, error, question },
      actor,
    );
  };

  app.get('/discussions/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    return renderNew(reply, actor, one((request.query as Record<string, unknown>).caseId));
  });

  app.post('/discussions', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const caseId = one(body.caseId);
    const question = one(body.question).trim();
    try {
      if (question.length < 1 || question.length > 2000) {
        throw new AppError(400, 'VALIDATION_FAILED', '探讨的问题应为 1 至 2000 字');
      }
      if (!UUID.test(caseId)) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
      const d = await openDiscussion(ctx(), actor, caseId, question);
      return reply.redirect(`/discussions/${d.id}?done=opened`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
      reply.status(statusOf(err));
      return renderNew(reply, actor, caseId, err.message, question);
    }
  });

  const renderDiscussion = async (
    reply: FastifyReply,
    actor: Actor,
    id: string,
    extra: { done?: string; error?: string; replyTo?: string; draft?: string } = {},
  ) => {
    const d = await discussionDetail(ctx(), actor, id);
    const comments = threaded(d.comments);
    return app.renderPage(
      reply,
      VIEW('discussion'),
      {
        title: `疑难案例探讨 · ${d.packet.caseNumber}`,
        d,
        categoryName: CATEGORY[d.packet.category] ?? d.packet.category,
        comments,
        replyTo: comments.find((c) => c.id === extra.replyTo) ?? null,
        mentionable: d.participants.filter((p) => p.userId !== actor.id),
        done: extra.done ? DONE[extra.done] : undefined,
        error: extra.error,
        draft: extra.draft ?? '',
      },
      actor,
    );
  };

  app.get('/discussions/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const q = request.query as Record<string, unknown>;
    return renderDiscussion(reply, actor, (request.params as { id: string }).id, {
      done: one(q.done),
      replyTo: one(q.replyTo),
    });
  });

  /** A form on the discussion page: done → back to the page with a notice; refused → the page with the message. */
  const action = (path: string, run: (actor: Actor, id: string, body: Record<string, unknown>) => Promise<string>) =>
    app.post(path, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        const done = await run(actor, id, body);
        return reply.redirect(`/discussions/${id}?done=${done}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === 'not_found') throw err;
        reply.status(statusOf(err));
        return renderDiscussion(reply, actor, id, { error: err.message, draft: one(body.body) || one(body.summary) });
      }
    });

  action('/discussions/:id/comments', async (actor, id, body) => {
    const text = one(body.body).trim();
    if (!text || text.length > 5000) throw new AppError(400, 'VALIDATION_FAILED', '意见应为 1 至 5000 字');
    const parentId = one(body.parentId) || null;
    if (parentId && !UUID.test(parentId)) throw new AppError(400, 'VALIDATION_FAILED', '所回复的意见不存在');
    await addComment(ctx(), actor, id, {
      body: text,
      parentId,
      mentions: many(body.mentions).filter((m) => UUID.test(m)),
    });
    return 'commented';
  });

  action('/discussions/:id/close', async (actor, id, body) => {
    const summary = one(body.summary).trim();
    if (!summary || summary.length > 5000) throw new AppError(400, 'VALIDATION_FAILED', '探讨总结应为 1 至 5000 字');
    await closeDiscussion(ctx(), actor, id, summary);
    return 'closed';
  });

  action('/discussions/:id/adopt', async (actor, id, body) => {
    await adoptSummary(ctx(), actor, id, one(body.into));
    return 'adopted';
  });
};
