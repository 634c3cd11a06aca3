import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import type { WebhookContext } from './context.js';
import * as q from './queries.js';
import {
  AttemptList,
  DeliveriesQuery,
  DeliveryList,
  DeliveryParams,
  PatchBody,
  RegisterBody,
  ReplayAnswer,
  Subscriber,
  SubscriberList,
  SubscriberParams,
} from './schemas.js';
import {
  listAttempts,
  listDeliveries,
  registerSubscriber,
  replay,
  requireSubscriber,
  setActive,
  subscriberJson,
} from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: WebhookContext;
  }
}

export const webhooksPlugin = fp<{ webhooks: WebhookContext }>(
  async (app, { webhooks }) => {
    app.decorate('webhooks', webhooks);
  },
  { name: 'webhooks', dependencies: ['database'] },
);

const ADMIN = { access: ['admin'] as const };
const TAGS = ['Webhook 订阅'];

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/webhooks',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '登记订阅方（回调地址、事件类型、签名密钥）',
        description:
          '每个事件以 POST 投递，请求头 X-Fashen-Event-Id（幂等编号）、X-Fashen-Timestamp（Unix 秒）、' +
          'X-Fashen-Signature（sm3=HMAC-SM3(密钥, 时间戳 + "." + 请求体) 的十六进制）。同一案件的事件按序投递。',
        body: RegisterBody,
        response: { 201: Subscriber, ...stdErrors },
      },
    },
    async (request, reply) => {
      const created = await registerSubscriber(app.webhooks, actorOf(request).id, request.body);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/webhooks',
    {
      config: ADMIN,
      schema: { tags: TAGS, summary: '订阅方列表', response: { 200: SubscriberList, ...errors(401, 403) } },
    },
    async () => ({ subscribers: (await q.listSubscribers(app.db)).map(subscriberJson) }),
  );

  app.patch(
    '/api/webhooks/:id',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '启用或停用订阅方（停用期间事件照常记下，启用后依次投递）',
        params: SubscriberParams,
        body: PatchBody,
        response: { 200: Subscriber, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => setActive(app.webhooks, request.params.id, request.body.active),
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '投递记录（status=dead 即死信列表），最新的在前',
        params: SubscriberParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryList, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => ({
      deliveries: await listDeliveries(app.webhooks, request.params.id, request.query),
    }),
  );

  app.get(
    '/api/webhooks/:id/deliveries/:deliveryId/attempts',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '一次投递的每次尝试（状态码、应答摘录、错误、耗时）',
        params: DeliveryParams,
        response: { 200: AttemptList, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      await requireSubscriber(app.webhooks, request.params.id);
      return { attempts: await listAttempts(app.webhooks, request.params.id, request.params.deliveryId) };
    },
  );

  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/replay',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '手动重放一次投递（死信或已送达的），幂等编号与请求体不变',
        params: DeliveryParams,
        response: { 202: ReplayAnswer, ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await replay(app.webhooks, request.params.id, request.params.deliveryId)),
  );
};
