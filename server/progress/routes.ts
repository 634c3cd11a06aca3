import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { casesOfNumberAndParty } from '../cases/reads.js';
import { instanceTasks } from '../engine/reads.js';
import { AppError } from '../http/errors.js';
import { errors, IsoDateTime } from '../http/schemas.js';
import { CASE_STATUS_LABELS, CATEGORY_LABELS } from '../http/view-engine.js';

/** Queries per client address in a quarter of an hour. */
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

export const NOT_FOUND_MESSAGE = '案件编号与当事人证件号码（统一社会信用代码）不匹配，请核对后再查询';

/** The party's case progress by number and code: stages and deadlines, nothing else (no people, no content). */
export async function progressOf(db: Parameters<typeof casesOfNumberAndParty>[0], caseNumber: string, code: string) {
  const rows = await casesOfNumberAndParty(db, caseNumber.trim(), code.trim());
  const cases = await Promise.all(
    rows.map(async (c) => ({
      caseNumber: c.case_number,
      title: c.title,
      agency: c.department_name,
      category: CATEGORY_LABELS[c.category] ?? c.category,
      status: CASE_STATUS_LABELS[c.status] ?? c.status,
      submittedAt: c.created_at.toISOString(),
      decisionDate: c.decision_date,
      stages: (c.instance_id ? await instanceTasks(db, c.instance_id) : []).map((t) => ({
        name: t.name,
        state: (t.status === 'open' ? 'open' : 'done') as 'open' | 'done',
        startedAt: t.created_at.toISOString(),
        dueAt: t.due_at?.toISOString() ?? null,
        endedAt: t.ended_at?.toISOString() ?? null,
      })),
    })),
  );
  if (cases.length === 0) throw new AppError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
  return { cases };
}

/** 办理进度查询: POST, so the party's code stays out of addresses and logs; throttled per client address. */
export const progressRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'TOO_MANY_ATTEMPTS', `查询过于频繁，请 ${Math.ceil(context.ttl / 60_000)} 分钟后再试`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  app.post(
    '/api/public/progress',
    {
      config: { access: 'public', rateLimit: PROGRESS_LIMIT },
      schema: {
        tags: ['办理进度查询'],
        summary:
          '当事人凭案件编号和身份证号码或统一社会信用代码查询办理环节和期限（编号与证件不匹配时与案件不存在的答复相同）',
        body: Type.Object({
          caseNumber: Type.String({ minLength: 1, maxLength: 100 }),
          partyCode: Type.String({ minLength: 6, maxLength: 30, description: '身份证号码或统一社会信用代码' }),
        }),
        response: { 200: Progress, ...errors(400, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return progressOf(app.db, request.body.caseNumber, request.body.partyCode);
    },
  );
};
