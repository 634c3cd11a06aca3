import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IsoDateTime } from '../http/schemas.js';
import { progressPages } from './pages.js';
import { progressOf } from './progress.js';
import { answerSurvey, RATINGS, SURVEY_QUESTION } from './survey.js';

/** Queries per client address in a quarter of an hour (the survey counts separately, with the same budget). */
export const PROGRESS_LIMIT = { max: 10, timeWindow: '15 minutes' };

const Stage = Type.Object({
  name: Type.String({ description: '环节' }),
  state: Type.Union([Type.Literal('open'), Type.Literal('done')]),
  startedAt: IsoDateTime,
  dueAt: Type.Union([IsoDateTime, Type.Null()], { description: '办理期限' }),
  endedAt: Type.Union([IsoDateTime, Type.Null()]),
});
const Progress = Type.Object({
  cases: Type.Array(
    Type.Object({
      caseNumber: Type.String(),
      title: Type.String(),
      agency: Type.String(),
      category: Type.String(),
      status: Type.String({ description: '办理状态（中文）' }),
      submittedAt: IsoDateTime,
      decisionDate: Type.Union([Type.String(), Type.Null()]),
      stages: Type.Array(Stage),
    }),
  ),
});
const PartyProof = {
  caseNumber: Type.String({ minLength: 1, maxLength: 100 }),
  partyCode: Type.String({ minLength: 6, maxLength: 30, description: '身份证号码或统一社会信用代码' }),
};

/** 办理进度查询: POST, so the party's code stays out of addresses and logs; throttled per client address. */
export const progressRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'TOO_MANY_ATTEMPTS', `查询过于频繁，请 ${Math.ceil(context.ttl / 60_000)} 分钟后再试`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await app.register(progressPages(PROGRESS_LIMIT));

  app.post(
    '/api/public/progress',
    {
      config: { access: 'public', rateLimit: PROGRESS_LIMIT },
      schema: {
        tags: ['办理进度查询'],
        summary:
          '当事人凭案件编号和身份证号码或统一社会信用代码查询办理环节和期限（编号与证件不匹配时与案件不存在的答复相同）',
        body: Type.Object(PartyProof),
        response: { 200: Progress, ...errors(400, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return progressOf(app.db, request.body.caseNumber, request.body.partyCode);
    },
  );

  app.post(
    '/api/public/satisfaction',
    {
      config: { access: 'public', rateLimit: PROGRESS_LIMIT },
      schema: {
        tags: ['办理进度查询'],
        summary: `满意度评价：${SURVEY_QUESTION}（凭案件编号和证件号码；每案一份，再次评价替换上一次）`,
        body: Type.Object({
          ...PartyProof,
          rating: Type.Union(
            RATINGS.map((r) => Type.Literal(r)),
            { description: 'satisfied 满意 / basically_satisfied 基本满意 / dissatisfied 不满意' },
          ),
          comment: Type.Optional(Type.String({ maxLength: 500, description: '意见建议（可不填）' })),
        }),
        response: {
          200: Type.Object({ caseNumber: Type.String(), rating: Type.String(), answeredAt: IsoDateTime }),
          ...errors(400, 404, 429),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const saved = await answerSurvey(app.db, request.body, app.clock.now());
      return { ...saved, answeredAt: saved.answeredAt.toISOString() };
    },
  );
};
