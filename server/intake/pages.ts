import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import type { Actor } from '../identity/service.js';
import { ADMIN_HEAD, adminTabs } from '../workbench/admin/tabs.js';
import { issueKey, listSystems, registerSystem, revokeKey } from './systems.js';

type FormBody = Record<string, string | string[] | undefined>;
const text = (body: FormBody, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const VIEW = '../../intake/views/intake-systems.hbs';
const FLASH: Record<string, string> = { created: '已登记接入系统。', revoked: '已吊销密钥，立即失效。' };
const CODE = /^[a-z0-9][a-z0-9_-]{1,39}$/;

/** The admin's page to register the department's case-handling systems and issue or revoke their keys. */
export const intakePages: FastifyPluginAsync = async (app) => {
  async function page(reply: FastifyReply, actor: Actor, extra: Record<string, unknown> = {}) {
    const systems = await listSystems(app.db, actor);
    return app.renderPage(
      reply,
      VIEW,
      {
        title: '外部办案系统接入 · 系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/intake'),
        systems,
        values: {},
        ...extra,
      },
      actor,
    );
  }

  app.get('/admin/intake', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const saved = (request.query as Record<string, string | undefined>).saved ?? '';
    return page(reply, actor, FLASH[saved] ? { flash: { kind: 'ok', text: FLASH[saved] } } : {});
  });

  app.post('/admin/intake', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const body = request.body as FormBody;
    const values = { code: text(body, 'code'), name: text(body, 'name') };
    try {
      if (!CODE.test(values.code)) {
        throw new AppError(400, 'VALIDATION_FAILED', '系统代码为 2 至 40 个小写字母、数字、- 或 _');
      }
      if (!values.name || values.name.length > 100) throw new AppError(400, 'VALIDATION_FAILED', '请填写系统名称');
      await registerSystem(app.db, actor, values);
      return reply.redirect('/admin/intake?saved=created', 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      reply.status(err.statusCode);
      return page(reply, actor, { flash: { kind: 'error', text: err.message }, values });
    }
  });

  app.post(
    '/admin/intake/:id/keys',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '接入系统不存在');
      const issued = await issueKey(app.db, actor, id);
      return page(reply, actor, { flash: { kind: 'ok', text: '已签发接入密钥。' }, issuedKey: issued.key });
    },
  );

  app.post(
    '/admin/intake/:id/keys/:keyId/revoke',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const { id, keyId } = request.params as { id: string; keyId: string };
      if (!UUID.test(id) || !UUID.test(keyId)) throw new AppError(404, 'NOT_FOUND', '密钥不存在');
      await revokeKey(app.db, actor, id, keyId, app.clock.now());
      return reply.redirect('/admin/intake?saved=revoked', 303);
    },
  );
};
