import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deployChecks } from '../definitions/validate.js';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import * as identity from '../identity/directory.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';
import { csrfGuard } from '../modeler/csrf.js';
import * as q from './queries.js';
import { DeploymentRequestSchema, ProposeBody, RejectBody, requestJson, Unchanged } from './schemas.js';
import {
  approveDeployment,
  type GovernanceContext,
  proposeDeployment,
  rejectDeployment,
  requireRequest,
} from './service.js';

const TAGS = ['流程与目录变更'];
const DepartmentQuery = Type.Optional(
  Type.String({ pattern: '^[A-Za-z0-9_-]{2,32}$', description: '执法机关代码（仅监督机构和系统管理员可指定）' }),
);

/** Who may read a request: its department's staff, the justice bureau's supervisors and the admins. */
export function mayRead(actor: Actor, departmentId: string): boolean {
  return readsAllDepartments(actor) || actor.departmentId === departmentId;
}

/**
 * Governed deploys: a legal admin proposes (the document passes every deploy check), another legal admin of the
 * same department approves (deploys) or rejects; supervisors read every department's changes.
 */
export const governanceRoutes: FastifyPluginAsyncTypebox<{ governance: GovernanceContext }> = async (app, opts) => {
  const ctx = opts.governance;
  const guard = csrfGuard(app);
  const checks = () => deployChecks(app.config, app.runtime.serviceNames, app.clock.now());

  app.post(
    '/api/deployment-requests',
    {
      config: { access: ['legal_admin'] },
      bodyLimit: app.config.BPMN_MAX_BYTES * 2 + 4096,
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary:
          '提出部署申请（流程及其目录清单）：须通过全部部署检查并填写变更说明；由本机关另一名法制机构管理员审批后部署',
        body: ProposeBody,
        response: { 201: DeploymentRequestSchema, 200: Unchanged, ...stdErrors, ...errors(409, 413) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const proposed = await proposeDeployment(ctx, {
        departmentId: actor.departmentId,
        xml: request.body.xml,
        note: request.body.note,
        submittedBy: actor.id,
        checks: checks(),
      });
      if ('unchanged' in proposed && proposed.unchanged) {
        const { process_key, version } = proposed.unchanged;
        return reply.status(200).send({ unchanged: true as const, processKey: process_key, version });
      }
      return reply.status(201).send({ ...requestJson(proposed.request), warnings: proposed.warnings });
    },
  );

  app.get(
    '/api/deployment-requests',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '部署申请与变更记录（新的在前）：本机关的；监督机构和系统管理员可见全部机关',
        querystring: Type.Object({
          department: DepartmentQuery,
          status: Type.Optional(
            Type.Union([
              Type.Literal('pending'),
              Type.Literal('approved'),
              Type.Literal('rejected'),
              Type.Literal('direct'),
            ]),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: Type.Array(DeploymentRequestSchema), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { department, status, limit } = request.query;
      let departmentId = readsAllDepartments(actor) ? undefined : actor.departmentId;
      if (department === actor.departmentCode) departmentId = actor.departmentId;
      else if (department !== undefined) {
        if (!readsAllDepartments(actor)) throw new AppError(403, 'FORBIDDEN', '无权查看其他执法机关的变更');
        const found = await identity.findDepartmentByCode(app.db, department);
        if (!found) throw new AppError(404, 'NOT_FOUND', `执法机关 ${department} 不存在`);
        departmentId = found.id;
      }
      const rows = await q.listRequests(app.db, { departmentId, statuses: status ? [status] : undefined, limit });
      return rows.map(requestJson);
    },
  );

  app.get(
    '/api/deployment-requests/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '一个部署申请：变更说明、目录清单逐项差异、流程元素差异和审批结果',
        params: IdParams,
        response: { 200: DeploymentRequestSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const row = await requireRequest(app.db, request.params.id);
      if (!mayRead(actorOf(request), row.department_id)) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
      return requestJson(row);
    },
  );

  app.post(
    '/api/deployment-requests/:id/approve',
    {
      config: { access: ['legal_admin'] },
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: '批准部署申请并部署为新版本（本机关另一名法制机构管理员；不能审批本人的申请）',
        params: IdParams,
        response: { 200: DeploymentRequestSchema, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return requestJson(await approveDeployment(ctx, request.params.id, actor, checks()));
    },
  );

  app.post(
    '/api/deployment-requests/:id/reject',
    {
      config: { access: ['legal_admin'] },
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: '驳回部署申请（须说明理由；不部署）',
        params: IdParams,
        body: RejectBody,
        response: { 200: DeploymentRequestSchema, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return requestJson(await rejectDeployment(ctx, request.params.id, actor, request.body.reason));
    },
  );
};
