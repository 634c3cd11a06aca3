import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import type { Actor } from '../identity/service.js';
import { ADMIN_HEAD, adminTabs } from '../workbench/admin/tabs.js';
import * as q from './queries.js';
import { consumerJson, issueConsumer } from './service.js';

type FormBody = Record<string, string | string[] | undefined>;
const text = (body: FormBody, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};

/** The admin's page for the data-sharing consumers: issue a token (shown once), see and revoke them. */
export const exportPages: FastifyPluginAsync = async (app) => {
  async function page(reply: FastifyReply, actor: Actor, extra: Record<string, unknown> = {}) {
    const consumers = (await q.listConsumers(app.db)).map(consumerJson);
    return app.renderPage(
      reply,
      '../../export/views/export-consumers.hbs',
      { title: '数据共享 · 系统管理', headExtra: ADMIN_HEAD, tabs: adminTabs('/admin/export'), consumers, ...extra },
      actor,
    );
  }

  app.get('/admin/export', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const revoked = (request.query as Record<string, string | undefined>).saved === 'revoked';
    return page(reply, actor, revoked ? { flash: { kind: 'ok', text: '已吊销令牌。' } } : {});
  });

  app.post('/admin/export', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const body = request.body as FormBody;
    const name = text(body, 'name');
    if (!name || name.length > 100) {
      reply.status(400);
      return page(reply, actor, { flash: { kind: 'error', text: '请填写消费方名称（不超过 100 字）' } });
    }
    const issued = await issueConsumer(app.db, actor.id, { name, personalData: text(body, 'personalData') === 'on' });
    return page(reply, actor, {
      flash: { kind: 'ok', text: '已签发令牌。令牌只显示这一次，请交给消费方妥善保存。' },
      issuedToken: issued.token,
    });
  });

  app.post(
    '/admin/export/:id/revoke',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      if (!UUID.test(id) || !(await q.revokeConsumer(app.db, id, app.clock.now()))) {
        throw new AppError(404, 'NOT_FOUND', '没有这个消费方，或已吊销');
      }
      return reply.redirect('/admin/export?saved=revoked', 303);
    },
  );
};
