import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParams, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { caseRecord } from '../records/service.js';
import { STANDARD_CHECKLIST, totalPoints } from './checklist.js';
import * as q from './queries.js';
import {
  ChecklistBody,
  ChecklistView,
  RectificationBody,
  RoundBody,
  RoundCaseParams,
  RoundSummary,
  RoundView,
  ScoreBody,
} from './schemas.js';
import {
  answerRectification,
  closeRound,
  createChecklist,
  createRound,
  type EvaluationContext,
  readForEvaluation,
  submitScore,
} from './service.js';
import { iso, roundsFor, roundView, SEES_ALL } from './view.js';

const TAGS = ['案卷评查'];
const EVALUATORS = ['supervisor', 'reviewer'] as const;

export const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = (): EvaluationContext => ({
    db: app.db,
    calendar: app.calendar,
    clock: app.clock,
    history: app.runtime.history,
  });

  app.get(
    '/api/evaluation/checklists',
    {
      config: { access: SEES_ALL },
      schema: {
        tags: TAGS,
        summary: '评查标准（通用标准与司法行政部门制定的标准）',
        response: { 200: Type.Object({ items: Type.Array(ChecklistView) }), ...stdErrors },
      },
    },
    async () => {
      const saved = await q.listChecklists(app.db);
      return {
        items: [
          { id: null, ...STANDARD_CHECKLIST, total: totalPoints(STANDARD_CHECKLIST) },
          ...saved.map((c) => ({ id: c.id, title: c.title, items: c.items, total: totalPoints(c) })),
        ],
      };
    },
  );

  app.post(
    '/api/evaluation/checklists',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: TAGS,
        summary: '制定评查标准（评查项目、分值、扣分标准）',
        body: ChecklistBody,
        response: { 201: ChecklistView, ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const c = await createChecklist(ctx(), actorOf(request), request.body);
      reply.status(201);
      return { id: c.id, title: c.title, items: c.items, total: totalPoints(c) };
    },
  );

  app.get(
    '/api/evaluation/rounds',
    {
      config: { access: ['supervisor', 'admin', 'legal_admin'] },
      schema: {
        tags: TAGS,
        summary: '评查活动',
        response: { 200: Type.Object({ items: Type.Array(RoundSummary) }), ...stdErrors },
      },
    },
    async (request) => ({ items: await roundsFor(ctx(), actorOf(request)) }),
  );

  app.post(
    '/api/evaluation/rounds',
    {
      config: { access: ['supervisor'], idempotent: true },
      schema: {
        tags: TAGS,
        summary: '发起评查：按随机种子从各机关当年已决定案件中抽取案卷，并分配评查人员（回避本机关人员）',
        body: RoundBody,
        response: {
          201: Type.Object({ id: Uuid, seed: Type.String(), drawn: Type.Integer() }),
          ...errors(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const created = await createRound(ctx(), actorOf(request), request.body);
      reply.status(201);
      return created;
    },
  );

  app.get(
    '/api/evaluation/rounds/:id',
    {
      config: { access: ['supervisor', 'admin', 'legal_admin'] },
      schema: {
        tags: TAGS,
        summary: '评查活动的抽样、评分进度、各机关得分与排名、整改情况',
        params: IdParams,
        response: { 200: RoundView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => roundView(ctx(), actorOf(request), request.params.id),
  );

  app.post(
    '/api/evaluation/rounds/:id/close',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: TAGS,
        summary: '结束评查、公布结果，开始整改期限（工作日）',
        params: IdParams,
        response: {
          200: Type.Object({ closedAt: IsoDateTime, rectifyDueAt: IsoDateTime }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const closed = await closeRound(ctx(), request.params.id);
      return { closedAt: iso(closed.closedAt), rectifyDueAt: iso(closed.rectifyDueAt) };
    },
  );

  app.get(
    '/api/evaluation/assignments',
    {
      config: { access: EVALUATORS },
      schema: {
        tags: TAGS,
        summary: '我的评查任务',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                roundId: Uuid,
                roundTitle: Type.String(),
                roundStatus: Type.String(),
                caseId: Uuid,
                caseNumber: Type.String(),
                title: Type.String(),
                departmentName: Type.String(),
                score: Type.Union([Type.Number(), Type.Null()]),
                submittedAt: Type.Union([IsoDateTime, Type.Null()]),
              }),
            ),
          }),
          ...stdErrors,
        },
      },
    },
    async (request) => ({
      items: (await q.assignmentsOf(app.db, actorOf(request).id)).map((a) => ({
        roundId: a.round_id,
        roundTitle: a.round_title,
        roundStatus: a.status,
        caseId: a.case_id,
        caseNumber: a.case_number,
        title: a.title,
        departmentName: a.department_name,
        score: a.score === null ? null : Number(a.score),
        submittedAt: iso(a.submitted_at),
      })),
    }),
  );

  app.get(
    '/api/evaluation/rounds/:id/cases/:caseId/record',
    {
      config: { access: EVALUATORS },
      schema: {
        tags: TAGS,
        summary: '评查人员调阅案卷的全过程记录（调阅本身记入该案记录）',
        params: RoundCaseParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Unknown()) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id, caseId } = request.params;
      await readForEvaluation(ctx(), actorOf(request), id, caseId);
      return { items: await caseRecord(app.db, caseId) };
    },
  );

  app.put(
    '/api/evaluation/rounds/:id/cases/:caseId/score',
    {
      config: { access: EVALUATORS },
      schema: {
        tags: TAGS,
        summary: '提交或修改评分：逐项扣分并写明理由',
        params: RoundCaseParams,
        body: ScoreBody,
        response: { 200: Type.Object({ score: Type.Number() }), ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      submitScore(ctx(), actorOf(request), { roundId: request.params.id, caseId: request.params.caseId }, request.body),
  );

  app.post(
    '/api/evaluation/rounds/:id/rectifications',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: TAGS,
        summary: '被评查机关报送整改情况',
        params: IdParams,
        body: RectificationBody,
        response: { 201: Type.Object({ id: Uuid, answeredAt: IsoDateTime }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const r = await answerRectification(ctx(), actorOf(request), request.params.id, request.body.answer);
      reply.status(201);
      return { id: r.id, answeredAt: iso(r.answered_at) };
    },
  );
};
