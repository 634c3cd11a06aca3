import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import type { Actor } from '../identity/service.js';
import { ADMIN_HEAD, adminTabs } from '../workbench/admin/tabs.js';
import * as q from './queries.js';
import { listDeliveries, registerSubscriber, replay, requireSubscriber, setActive } from './service.js';
import type { DeliveryStatus } from './tables.js';

type FormBody = Record<string, string | string[] | undefined>;
const text = (body: FormBody, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const VIEW = (name: string) => `../../webhooks/views/${name}.hbs`;
const STATUS_LABELS: Record<DeliveryStatus, string> = { pending: '待投递', delivered: '已送达', dead: '死信' };
const FLASH: Record<string, string> = {
  created: '已登记订阅方。',
  replayed: '已安排重新投递。',
  enabled: '已启用。',
  disabled: '已停用。',
};

/** The admin's pages to register webhook subscribers and watch their deliveries, under /admin/webhooks. */
export const webhookPages: FastifyPluginAsync = async (app) => {
  async function listPage(reply: FastifyReply, actor: Actor, extra: Record<string, unknown> = {}) {
    const subscribers = await q.listSubscribers(app.db);
    return app.renderPage(
      reply,
      VIEW('webhooks'),
      {
        title: 'Webhook 订阅 · 系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/webhooks'),
        subscribers: subscribers.map((s) => ({ ...s, eventsText: s.events.join('、') })),
        values: { events: '*', concurrency: '4' },
        ...extra,
      },
      actor,
    );
  }

  app.get('/admin/webhooks', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const saved = (request.query as Record<string, string | undefined>).saved ?? '';
    return listPage(reply, actor, FLASH[saved] ? { flash: { kind: 'ok', text: FLASH[saved] } } : {});
  });

  app.post('/admin/webhooks', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const body = request.body as FormBody;
    const values = {
      name: text(body, 'name'),
      url: text(body, 'url'),
      events: text(body, 'events'),
      secret: text(body, 'secret'),
      concurrency: text(body, 'concurrency') || '4',
    };
    const events = values.events.split(/[\s,，、]+/).filter(Boolean);
    const concurrency = Number(values.concurrency);
    const problem = !values.name
      ? '请填写订阅方名称'
      : events.length === 0 || events.some((e) => !/^(\*|[a-z][a-zA-Z0-9_.-]{0,99}(\.\*)?)$/.test(e))
        ? '事件类型不正确：填写如 case.submitted、task.*，或 * 表示全部'
        : values.secret && values.secret.length < 16
          ? '签名密钥至少 16 个字符（不填则由系统生成）'
          : !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64
            ? '并发数应为 1 到 64 的整数'
            : null;
    try {
      if (problem) throw new AppError(400, 'VALIDATION_FAILED', problem);
      const created = await registerSubscriber(app.webhooks, actor.id, {
        name: values.name.slice(0, 100),
        url: values.url,
        events,
        secret: values.secret || undefined,
        concurrency,
      });
      if (created.secret) {
        return listPage(reply, actor, {
          flash: { kind: 'ok', text: '已登记订阅方。签名密钥只显示这一次，请交给订阅方妥善保存。' },
          generatedSecret: created.secret,
        });
      }
      return reply.redirect('/admin/webhooks?saved=created', 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      reply.status(400);
      return listPage(reply, actor, { flash: { kind: 'error', text: err.message }, values });
    }
  });

  app.get('/admin/webhooks/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '没有这个订阅方');
    const query = request.query as Record<string, string | undefined>;
    const status = (['pending', 'delivered', 'dead'] as const).find((s) => s === query.status);
    const subscriber = await requireSubscriber(app.webhooks, id);
    const deliveries = await listDeliveries(app.webhooks, id, { status, limit: 200 });
    return app.renderPage(
      reply,
      VIEW('webhook-deliveries'),
      {
        title: `${subscriber.name} · Webhook 订阅`,
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/webhooks'),
        subscriber: { ...subscriber, eventsText: subscriber.events.join('、') },
        filters: [
          { href: `/admin/webhooks/${id}`, label: '全部', current: !status },
          ...(['pending', 'delivered', 'dead'] as const).map((s) => ({
            href: `/admin/webhooks/${id}?status=${s}`,
            label: STATUS_LABELS[s],
            current: s === status,
          })),
        ],
        deliveries: deliveries.map((d) => ({
          ...d,
          statusLabel: d.waiting ? '等待前序事件' : STATUS_LABELS[d.status],
          replayable: d.status !== 'pending',
        })),
        flash: FLASH[query.saved ?? ''] ? { kind: 'ok', text: FLASH[query.saved ?? ''] } : undefined,
      },
      actor,
    );
  });

  app.post(
    '/admin/webhooks/:id/active',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '没有这个订阅方');
      const active = text(request.body as FormBody, 'active') === 'true';
      await setActive(app.webhooks, id, active);
      return reply.redirect(`/admin/webhooks/${id}?saved=${active ? 'enabled' : 'disabled'}`, 303);
    },
  );

  app.post(
    '/admin/webhooks/:id/deliveries/:deliveryId/replay',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const { id, deliveryId } = request.params as { id: string; deliveryId: string };
      if (!UUID.test(id) || !/^\d{1,15}$/.test(deliveryId)) throw new AppError(404, 'NOT_FOUND', '没有这次投递');
      await replay(app.webhooks, id, Number(deliveryId));
      return reply.redirect(`/admin/webhooks/${id}?saved=replayed`, 303);
    },
  );
};
