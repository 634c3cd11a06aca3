import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError, statusOf } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import type { Actor } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { markRepealed } from './repeal.js';
import { getLaw, searchLaws } from './service.js';

const VIEW = (name: string) => `../../laws/views/${name}.hbs`;
const EDITORS = ['legal_admin', 'admin'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();

/** The law library's admin pages: search, a law with its versions, and its repeal (废止) marks with their history. */
export const lawPages: FastifyPluginAsync = async (app) => {
  const seg = app.segmenter;

  app.get('/legal/laws', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, EDITORS);
    if (!actor) return reply;
    const q = one((request.query as Record<string, unknown>).q).slice(0, 200);
    const found = q ? await searchLaws(app.db, seg, q, 50, 0) : { total: 0, items: [] };
    return app.renderPage(reply, VIEW('laws'), { title: '法律法规库', q, ...found }, actor);
  });

  const renderLaw = async (
    reply: FastifyReply,
    actor: Actor,
    id: string,
    extra: { done?: boolean; error?: string; values?: Record<string, string> } = {},
  ) => {
    if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '没有这部法律法规');
    const law = await getLaw(app.db, id);
    return app.renderPage(
      reply,
      VIEW('law'),
      {
        title: law.title,
        law,
        done: extra.done ? '废止标记已保存，并记入修改记录。' : undefined,
        error: extra.error,
        values: extra.values ?? {},
      },
      actor,
    );
  };

  app.get('/legal/laws/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, EDITORS);
    if (!actor) return reply;
    const done = one((request.query as Record<string, unknown>).done) === '1';
    return renderLaw(reply, actor, (request.params as { id: string }).id, { done });
  });

  app.post(
    '/legal/laws/:id/repeal',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, EDITORS);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = { repealedOn: one(body.repealedOn), versionId: one(body.versionId), note: one(body.note) };
      try {
        if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '没有这部法律法规');
        const undo = one(body.action) === 'clear';
        if (!undo && !DAY.test(values.repealedOn)) throw new AppError(400, 'VALIDATION_FAILED', '请填写废止日期');
        if (values.versionId && !UUID.test(values.versionId))
          throw new AppError(404, 'NOT_FOUND', '这部法律法规没有该版本');
        if (values.note.length > 1000) throw new AppError(400, 'VALIDATION_FAILED', '说明不能超过 1000 字');
        await markRepealed(app.db, {
          lawId: id,
          versionId: values.versionId || null,
          repealedOn: undo ? null : values.repealedOn,
          note: values.note,
          userId: actor.id,
        });
        return reply.redirect(`/legal/laws/${id}?done=1`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === 'not_found') throw err;
        reply.status(statusOf(err));
        return renderLaw(reply, actor, id, { error: err.message, values });
      }
    },
  );
};
