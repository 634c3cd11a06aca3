import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getDefinitionVersion } from '../definitions/service.js';
import { deployChecks } from '../definitions/validate.js';
import { AppError } from '../http/errors.js';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import * as identity from '../identity/directory.js';
import { type Actor, hasRole, readsAllDepartments } from '../identity/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { csrfGuard } from './csrf.js';
import { diffXml } from './diff.js';
import { discardDraft, getDraft, saveDraft } from './drafts.js';
import {
  CheckBody,
  CheckResultSchema,
  DepartmentQuery,
  DiffSchema,
  DraftSchema,
  KeyParams,
  SaveDraftBody,
  SavedDraftSchema,
  TrialSchema,
  TryBody,
  WorkspaceSchema,
} from './schemas.js';
import { checkDraft, listWorkspace, tryCondition } from './service.js';

const TAGS = ['流程建模'];
const EDITORS = ['legal_admin'] as const;

/**
 * The modeler's API: workspace, drafts per department, server-side checks, version diffs, "try it". Deploying is
 * proposing a deployment (`/api/deployment-requests`, server/governance): a second legal admin approves it.
 */
export const modelerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = csrfGuard(app);
  const xmlBodyLimit = app.config.BPMN_MAX_BYTES * 2 + 4096; // JSON-escaped XML plus the other fields
  const checkOptions = () => deployChecks(app.config, app.runtime.serviceNames, app.clock.now());

  /** The department a read is about: one's own, or any for the justice bureau's supervisors and admins. */
  async function departmentFor(actor: Actor, code: string | undefined) {
    if (code === undefined || code === actor.departmentCode) {
      return { id: actor.departmentId, code: actor.departmentCode, name: actor.departmentName };
    }
    if (!readsAllDepartments(actor)) throw new AppError(403, 'FORBIDDEN', '无权查看其他执法机关的流程');
    const department = await identity.findDepartmentByCode(app.db, code);
    if (!department) throw new AppError(404, 'NOT_FOUND', `执法机关 ${code} 不存在`);
    return { id: department.id, code: department.code, name: department.name };
  }

  app.get(
    '/api/modeler/workspace',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '建模工作区：本机关的流程（最新部署版本与草稿）及当前用户能否编辑',
        querystring: Type.Object({ department: DepartmentQuery }),
        response: { 200: WorkspaceSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const department = await departmentFor(actor, request.query.department);
      const workflows = await listWorkspace(app.db, department.id);
      return {
        department,
        canEdit: department.id === actor.departmentId && hasRole(actor, ...EDITORS),
        services: [...app.runtime.serviceNames],
        workflows: workflows.map((w) => ({
          ...w,
          latest: w.latest && { ...w.latest, deployedAt: w.latest.deployedAt.toISOString() },
          draft: w.draft && { ...w.draft, savedAt: w.draft.savedAt.toISOString() },
        })),
      };
    },
  );

  app.get(
    '/api/modeler/drafts/:key',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '读取本机关某流程的草稿',
        params: KeyParams,
        querystring: Type.Object({ department: DepartmentQuery }),
        response: { 200: DraftSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const department = await departmentFor(actorOf(request), request.query.department);
      const draft = await getDraft(app.db, department.id, request.params.key);
      return { ...draft, savedAt: draft.savedAt.toISOString() };
    },
  );

  app.put(
    '/api/modeler/drafts/:key',
    {
      config: { access: EDITORS },
      bodyLimit: xmlBodyLimit,
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: '保存草稿（仅本机关法制机构管理员；稿次不一致时 409）',
        params: KeyParams,
        body: SaveDraftBody,
        response: { 200: SavedDraftSchema, ...stdErrors, ...errors(409, 413) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const saved = await saveDraft(app.db, {
        departmentId: actor.departmentId,
        processKey: request.params.key,
        xml: request.body.xml,
        baseVersion: request.body.baseVersion,
        expectedRevision: request.body.expectedRevision,
        savedBy: actor.id,
        maxBytes: app.config.BPMN_MAX_BYTES,
        now: app.clock.now(),
      });
      return { revision: saved.revision, savedAt: saved.savedAt.toISOString() };
    },
  );

  app.delete(
    '/api/modeler/drafts/:key',
    {
      config: { access: EDITORS },
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: '放弃草稿（仅本机关法制机构管理员）',
        params: KeyParams,
        response: { 204: Type.Null(), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      await discardDraft(app.db, actorOf(request).departmentId, request.params.key);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/modeler/check',
    {
      config: { access: 'authenticated' },
      bodyLimit: xmlBodyLimit,
      schema: {
        tags: TAGS,
        summary: '按部署时的全部规则检查 BPMN（不部署）',
        body: CheckBody,
        response: { 200: CheckResultSchema, ...stdErrors, ...errors(413) },
      },
    },
    async (request) => checkDraft(request.body.xml, checkOptions(), app.db, instantToShanghaiDate(app.clock.now())),
  );

  app.get(
    '/api/modeler/workflows/:key/diff',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '两个已部署版本之间的差异（新增、删除、修改的元素）',
        params: KeyParams,
        querystring: Type.Object({
          from: Type.Integer({ minimum: 1 }),
          to: Type.Integer({ minimum: 1 }),
          department: DepartmentQuery,
        }),
        response: { 200: DiffSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const department = await departmentFor(actorOf(request), request.query.department);
      const { from, to } = request.query;
      const [before, after] = await Promise.all(
        [from, to].map((v) => getDefinitionVersion(app.db, department.id, request.params.key, v)),
      );
      return { from, to, ...(await diffXml(before.xml, after.xml)) };
    },
  );

  app.post(
    '/api/modeler/catalogue/try',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '试算目录清单事项的适用条件：按部署规则检查，并对样例案件事实求值',
        body: TryBody,
        response: { 200: TrialSchema, ...stdErrors },
      },
    },
    async (request) => tryCondition(request.body.condition, request.body.facts),
  );
};
