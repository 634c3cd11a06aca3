import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { exportJsonSchema } from './json-schema.js';
import * as q from './queries.js';
import {
  Consumer,
  ConsumerBody,
  ConsumerList,
  ConsumerParams,
  FeedPage,
  FeedQuery,
  FullPage,
  FullQuery,
} from './schemas.js';
import { consumerJson, consumerOf, feed, fullExport, issueConsumer } from './service.js';

const TAGS = ['数据共享'];
const ADMIN = { access: ['admin'] as const };
/** Consumers authenticate with their own token (checked by the route), not with a user's session. */
const CONSUMER = { access: 'public' as const };
const consumerSecurity = [{ bearer: [] }];

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const schema = exportJsonSchema();

  app.get(
    '/api/export/schema',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '导出数据元规范（JSON Schema）',
        description: '执法主体、执法人员及证件、职权事项、案件及办理环节、审核意见、执法决定、公示的数据元。',
        security: [],
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(schema),
  );

  app.get(
    '/api/export/feed',
    {
      config: CONSUMER,
      schema: {
        tags: TAGS,
        summary: '增量订阅：游标之后的变更（不带游标即从头读起，得到全量）',
        security: consumerSecurity,
        querystring: FeedQuery,
        response: { 200: FeedPage, ...errors(400, 401) },
      },
    },
    async (request) => {
      const consumer = await consumerOf(app.db, request.headers.authorization);
      return feed(app.db, consumer, Number(request.query.cursor ?? 0), request.query.limit);
    },
  );

  app.get(
    '/api/export/full',
    {
      config: CONSUMER,
      schema: {
        tags: TAGS,
        summary: '全量导出一类数据元（按标识分页）',
        security: consumerSecurity,
        querystring: FullQuery,
        response: { 200: FullPage, ...errors(400, 401) },
      },
    },
    async (request) => {
      const consumer = await consumerOf(app.db, request.headers.authorization);
      return fullExport(app.db, consumer, request.query.entity, request.query.after, request.query.limit);
    },
  );

  app.post(
    '/api/export/consumers',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '签发数据共享令牌（令牌只返回这一次，系统只保存其 SM3 摘要）',
        body: ConsumerBody,
        response: { 201: Consumer, ...stdErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await issueConsumer(app.db, actorOf(request).id, request.body)),
  );

  app.get(
    '/api/export/consumers',
    {
      config: ADMIN,
      schema: { tags: TAGS, summary: '数据共享消费方', response: { 200: ConsumerList, ...errors(401, 403) } },
    },
    async () => ({ consumers: (await q.listConsumers(app.db)).map(consumerJson) }),
  );

  app.post(
    '/api/export/consumers/:id/revoke',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: '吊销数据共享令牌',
        params: ConsumerParams,
        response: { 200: Consumer, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const row = await q.revokeConsumer(app.db, request.params.id, app.clock.now());
      if (!row) throw new AppError(404, 'NOT_FOUND', '没有这个消费方，或已吊销');
      return consumerJson(row);
    },
  );
};
