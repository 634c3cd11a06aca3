import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParams, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { markRepealed } from './repeal.js';
import { ArticleView, Correction, LawView, Paragraph, SearchResult, Upload } from './schemas.js';
import { articleOnDate, checkCitations, correctArticle, getLaw, searchLaws, uploadVersion } from './service.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '日期 YYYY-MM-DD' });
const Status = Type.Union([
  Type.Literal('ok'),
  Type.Literal('unknown_law'),
  Type.Literal('unknown_article'),
  Type.Literal('not_in_force'),
  Type.Literal('invalid'),
]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const EDITORS = ['legal_admin', 'admin'] as const;

export const lawRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const seg = app.segmenter;
  const tags = ['法律法规库'];

  app.get(
    '/api/laws',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '按标题和全文检索法律法规（中文分词，按相关度排序）',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 200 }),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: SearchResult, ...stdErrors },
      },
    },
    async (request) => searchLaws(app.db, seg, request.query.q, request.query.limit, request.query.offset),
  );

  app.get(
    '/api/laws/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '法律法规及其各版本',
        params: IdParams,
        response: { 200: LawView, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => getLaw(app.db, request.params.id),
  );

  app.get(
    '/api/laws/:id/articles/:number',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '某日施行的版本中的一条（第N条；之一写作 120.1），附修改记录',
        params: Type.Object({ id: Uuid, number: Type.String({ pattern: '^\\d{1,4}(\\.\\d{1,2})?$' }) }),
        querystring: Type.Object({ date: Type.Optional(Day) }),
        response: { 200: ArticleView, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const [n, sub] = request.params.number.split('.').map(Number);
      const date = request.query.date ?? new Date().toISOString().slice(0, 10);
      return articleOnDate(app.db, request.params.id, n, sub ?? 0, date);
    },
  );

  app.put(
    '/api/law-articles/:id',
    {
      config: { access: EDITORS },
      schema: {
        tags,
        summary: '更正一条的文字（保留原文于修改记录）',
        params: IdParams,
        body: Type.Object({ paragraphs: Type.Array(Paragraph, { minItems: 1 }), note: Type.String({ minLength: 1 }) }),
        response: { 200: Correction, ...stdErrors, ...errors(404) },
      },
    },
    async (request) =>
      correctArticle(app.db, seg, { articleId: request.params.id, ...request.body, userId: actorOf(request).id }),
  );

  app.put(
    '/api/laws/:id/repeal',
    {
      config: { access: EDITORS },
      schema: {
        tags,
        summary: '标记法律法规（或其某一版本）自某日起废止，或撤销该标记（repealedOn 为 null）；保留修改记录',
        params: IdParams,
        body: Type.Object(
          {
            repealedOn: Type.Union([Day, Type.Null()], {
              title: '废止日期',
              description: '自该日起不再施行；null 撤销标记',
            }),
            versionId: Type.Optional(Type.Union([Uuid, Type.Null()], { title: '版本', description: '只废止这一版本' })),
            note: Type.String({ minLength: 1, maxLength: 1000, title: '说明', description: '废止依据或撤销理由' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            lawId: Uuid,
            versionId: Type.Union([Uuid, Type.Null()]),
            repealedOn: Type.Union([Day, Type.Null()]),
          }),
          ...stdErrors,
          ...errors(404),
        },
      },
    },
    async (request) =>
      markRepealed(app.db, {
        lawId: request.params.id,
        versionId: request.body.versionId ?? null,
        repealedOn: request.body.repealedOn,
        note: request.body.note,
        userId: actorOf(request).id,
      }),
  );

  app.post(
    '/api/laws/versions',
    {
      config: { access: EDITORS },
      schema: {
        tags,
        summary: '上传新版本（与法规库相同的 Markdown 格式）',
        body: Type.Object({
          markdown: Type.String({ minLength: 1, maxLength: 900_000 }),
          category: Type.String({ minLength: 1, maxLength: 40 }),
          effectiveOn: Type.Optional(Day),
        }),
        response: { 201: Upload, ...stdErrors, ...errors(409) },
      },
    },
    async (request, reply) => {
      const r = await uploadVersion(app.db, seg, { ...request.body, userId: actorOf(request).id });
      return reply.code(201).send(r);
    },
  );

  app.post(
    '/api/citations/check',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '核对法律依据引用：每一条引用按 date 当日施行的版本解析',
        body: Type.Object({
          citations: Type.Array(Type.String({ maxLength: 2000 }), { minItems: 1, maxItems: 1000 }),
          date: Day,
        }),
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                input: Type.String(),
                status: Status,
                reason: Type.Optional(
                  Type.Union([Type.Literal('repealed'), Type.Literal('not_yet_effective')], {
                    description: 'not_in_force 的原因：repealed 已废止（repealedOn 起），not_yet_effective 尚未施行',
                  }),
                ),
                repealedOn: Type.Optional(Day),
                law: Nullable(Type.String()),
                article: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
                paragraph: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
                item: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
                version: Nullable(Type.String()),
                text: Nullable(Type.String()),
              }),
            ),
          }),
          ...stdErrors,
        },
      },
    },
    async (request) => ({ results: await checkCitations(app.db, request.body.citations, request.body.date) }),
  );
};
