import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { retryInstance, startInstance } from '../engine/instances.js';
import * as reads from '../engine/reads.js';
import type { InstanceError } from '../engine/tables.js';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { assertDepartmentAccess, hasRole, readsAllDepartments } from '../identity/service.js';
import {
  CommandResultSchema,
  InstanceDetailSchema,
  InstanceStatusSchema,
  InstanceSummarySchema,
  iso,
} from './schemas.js';

type SummaryRow = Awaited<ReturnType<typeof reads.listInstances>>[number];

function toSummary(r: SummaryRow) {
  const error = r.error as InstanceError | null;
  return {
    id: r.id,
    departmentId: r.department_id,
    processKey: r.process_key,
    definitionVersion: r.definition_version,
    businessKey: r.business_key,
    status: r.status,
    version: r.version,
    error: error ? { code: error.code, message: error.message, at: error.at } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    endedAt: iso(r.ended_at),
  };
}

const MAX_VARIABLES_BYTES = 256 * 1024;

export const instanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/instances',
    {
      config: { access: ['officer', 'legal_admin', 'admin'], idempotent: true },
      schema: {
        tags: ['流程实例'],
        summary: '按流程标识启动本机关最新版本的流程',
        body: Type.Object({
          processKey: Type.String({ minLength: 1, maxLength: 200 }),
          businessKey: Type.Optional(Type.String({ maxLength: 200 })),
          variables: Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Unknown(), { default: {} }),
        }),
        response: { 201: CommandResultSchema, ...stdErrors, ...errors(404, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { processKey, businessKey, variables } = request.body;
      if (JSON.stringify(variables).length > MAX_VARIABLES_BYTES) {
        throw new AppError(400, 'VALIDATION_FAILED', '流程变量过大');
      }
      const result = await startInstance(app.runtime, actor, {
        departmentId: actor.departmentId,
        processKey,
        businessKey,
        variables,
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/instances',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['流程实例'],
        summary: '流程实例列表（本机关；监督与管理员可跨机关）',
        querystring: Type.Object({
          status: Type.Optional(InstanceStatusSchema),
          departmentId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(InstanceSummarySchema) }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const departmentId = readsAllDepartments(actor) ? request.query.departmentId : actor.departmentId;
      return { items: (await reads.listInstances(app.db, { ...request.query, departmentId })).map(toSummary) };
    },
  );

  app.get(
    '/api/incidents',
    {
      config: { access: ['admin', 'legal_admin'] },
      schema: {
        tags: ['流程实例'],
        summary: '执行失败的流程实例（可重试）',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(InstanceSummarySchema) }), ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const departmentId = hasRole(actor, 'admin') ? undefined : actor.departmentId;
      const rows = await reads.listInstances(app.db, { ...request.query, departmentId, status: 'failed' });
      return { items: rows.map(toSummary) };
    },
  );

  app.get(
    '/api/instances/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['流程实例'],
        summary: '流程实例详情：状态、变量、任务、计时器与历史',
        params: IdParams,
        response: { 200: InstanceDetailSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const id = request.params.id;
      const summary = await reads.findInstanceWithDefinition(app.db, id);
      if (!summary) throw new AppError(404, 'INSTANCE_NOT_FOUND', '流程实例不存在');
      assertDepartmentAccess(actor, summary.department_id);
      const [tasks, timers, history] = await Promise.all([
        reads.instanceTasks(app.db, id),
        reads.instanceTimers(app.db, id),
        reads.instanceHistory(app.db, id),
      ]);
      return {
        ...toSummary(summary),
        variables: summary.variables,
        tasks: tasks.map((t) => ({
          id: t.id,
          elementId: t.element_id,
          name: t.name,
          role: t.role,
          assigneeId: t.assignee_id,
          status: t.status,
          dueAt: iso(t.due_at),
          createdAt: t.created_at.toISOString(),
          endedAt: iso(t.ended_at),
        })),
        timers: timers.map((t) => ({
          id: t.id,
          elementId: t.element_id,
          timerType: t.timer_type,
          dueAt: t.due_at.toISOString(),
          status: t.status,
          endedAt: iso(t.ended_at),
        })),
        history: history.map((h) => ({
          id: h.id,
          type: h.type,
          elementId: h.element_id,
          actorId: h.actor_id,
          actorName: h.actor_name,
          payload: h.payload,
          at: h.at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/instances/:id/retry',
    {
      config: { access: ['admin', 'legal_admin'] },
      schema: {
        tags: ['流程实例'],
        summary: '重试执行失败的流程实例',
        params: IdParams,
        response: { 200: CommandResultSchema, ...stdErrors, ...errors(404, 409, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const instance = await reads.findInstance(app.db, request.params.id);
      if (!instance) throw new AppError(404, 'INSTANCE_NOT_FOUND', '流程实例不存在');
      if (!hasRole(actor, 'admin') && instance.department_id !== actor.departmentId) {
        throw new AppError(403, 'FORBIDDEN', '无权处理其他执法机关的流程实例');
      }
      return retryInstance(app.runtime, actor.id, instance.id);
    },
  );
};
