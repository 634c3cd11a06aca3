import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { readsAllDepartments } from '../identity/service.js';
import { attachmentRoutes } from './attachment-routes.js';
import { reassignIfConflicted } from './conflicts.js';
import { confirmCoordination } from './coordination.js';
import { caseDetail } from './detail.js';
import { pointRoutes } from './point-routes.js';
import { poolRoutes } from './pool-routes.js';
import * as q from './queries.js';
import {
  CaseStatusSchema,
  CaseSummarySchema,
  PacketSchema,
  SubmitResultSchema,
  SubmittedFactsSchema,
} from './schemas.js';
import { recordDirectDecision, recordSupervisorView, revisePacket, submitCase, visibleCase } from './service.js';

const CaseDetailSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: '案件详情：送审材料、各轮次、审核意见、附件、文书、时间线、待办',
});

export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(attachmentRoutes);
  await app.register(poolRoutes);
  await app.register(pointRoutes);

  app.post(
    '/api/cases',
    {
      config: { access: ['officer'], idempotent: true },
      schema: {
        tags: ['送审案件'],
        summary: '送审：提交拟作出的决定及送审材料，按目录清单判断是否必须法制审核',
        body: Type.Object({
          packet: PacketSchema,
          facts: SubmittedFactsSchema,
          requestReview: Type.Optional(Type.Boolean({ description: '未命中目录清单时自愿申请法制审核' })),
        }),
        response: { 201: SubmitResultSchema, ...stdErrors, ...errors(404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await submitCase(app.cases, actorOf(request), request.body)),
  );

  app.get(
    '/api/cases',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['送审案件'],
        summary: '案件列表（本机关；司法行政监督与管理员可跨机关）',
        querystring: Type.Object({
          status: Type.Optional(CaseStatusSchema),
          category: Type.Optional(Type.Union(['licensing', 'penalty', 'coercion', 'levy'].map((c) => Type.Literal(c)))),
          departmentId: Type.Optional(Uuid),
          q: Type.Optional(Type.String({ maxLength: 100, description: '按案件编号或名称搜索' })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(CaseSummarySchema) }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const departmentId = readsAllDepartments(actor) ? request.query.departmentId : actor.departmentId;
      const rows = await q.listCases(app.db, { ...request.query, departmentId } as Parameters<typeof q.listCases>[1]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          departmentId: r.department_id,
          departmentName: r.department_name,
          caseNumber: r.case_number,
          title: r.title,
          category: r.category,
          status: r.status,
          reviewMandatory: r.review_mandatory,
          currentRound: r.current_round,
          createdAt: r.created_at.toISOString(),
          updatedAt: r.updated_at.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['送审案件'],
        summary: '案件详情；司法行政监督人员的每次调阅记入时间线',
        params: IdParams,
        response: { 200: CaseDetailSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      await recordSupervisorView(app.cases, actor, c);
      return caseDetail(app.cases, c);
    },
  );

  app.put(
    '/api/cases/:id/packet',
    {
      config: { access: ['officer'] },
      schema: {
        tags: ['送审案件'],
        summary: '补充或补正期间修改送审材料（再次报送时形成新的轮次）',
        params: IdParams,
        body: PacketSchema,
        response: { 204: Type.Null(), ...stdErrors, ...errors(404, 409, 422) },
      },
    },
    async (request, reply) => {
      await revisePacket(app.cases, actorOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/cases/:id/decision',
    {
      config: { access: ['officer'] },
      schema: {
        tags: ['送审案件'],
        summary: '记录不属于目录清单且未申请审核的决定；须审核的案件未经审核通过不得记录',
        params: IdParams,
        body: Type.Object({
          number: Type.String({ minLength: 1, maxLength: 100 }),
          date: Type.String({ format: 'date' }),
          content: Type.String({ minLength: 1, maxLength: 20000 }),
        }),
        response: { 201: Type.Record(Type.String(), Type.Unknown()), ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordDirectDecision(app.cases, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/cases/:id/coordination/confirmations',
    {
      config: { access: ['officer', 'legal_admin', 'reviewer'] },
      schema: {
        tags: ['送审案件'],
        summary: '承办机构负责人或法制审核机构负责人确认协调达成的一致意见（法制审核机构负责人也可以在完成协调时确认）',
        params: IdParams,
        body: Type.Object({
          outcome: Type.Union([Type.Literal('agree_with_review'), Type.Literal('agree_with_handling')], {
            description:
              'agree_with_review：承办机构采纳法制审核意见；agree_with_handling：法制审核机构同意承办机构意见',
          }),
        }),
        response: {
          201: Type.Object({
            outcome: Type.String(),
            side: Type.Union([Type.Literal('handling'), Type.Literal('review')], {
              description: 'handling：承办机构一方；review：法制审核机构一方（确认人是本案法制审核机构负责人时）',
            }),
            confirmedBy: Uuid,
            confirmedAt: Type.String({ format: 'date-time' }),
          }),
          ...stdErrors,
          ...errors(404, 409),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await confirmCoordination(app.cases, actorOf(request), request.params.id, request.body.outcome)),
  );

  app.post(
    '/api/cases/:id/conflicts',
    {
      config: { access: ['legal_admin', 'reviewer'] },
      schema: {
        tags: ['送审案件'],
        summary: '申报回避：被申报的审核人员不得审核本案，已指派的自动改派',
        params: IdParams,
        body: Type.Object({ userId: Uuid, reason: Type.String({ minLength: 1, maxLength: 1000 }) }),
        response: {
          201: Type.Object({ reassignedTo: Type.Union([Uuid, Type.Null()]) }),
          ...stdErrors,
          ...errors(404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      const self = request.body.userId === actor.id;
      if (!self && !(actor.roles.includes('legal_admin') && c.department_id === actor.departmentId)) {
        throw new AppError(403, 'FORBIDDEN', '只能申报本人回避，或由本机关法制机构决定回避');
      }
      const reassignedTo = await reassignIfConflicted(app.cases, c, { ...request.body, declaredBy: actor.id });
      return reply.status(201).send({ reassignedTo });
    },
  );
};
