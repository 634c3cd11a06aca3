import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import * as identity from '../identity/directory.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';
import { DefinitionSchema } from './schemas.js';
import { type DefinitionSummary, getDefinitionVersion, listDefinitions, listDefinitionVersions } from './service.js';

export { deployFromFile } from './service.js';

const Definition = DefinitionSchema;
const DefinitionListItem = Type.Object({
  ...Definition.properties,
  changeNote: Type.Union([Type.String(), Type.Null()]),
  versionCount: Type.Integer(),
});
const DefinitionVersion = Type.Object({
  ...Definition.properties,
  changeNote: Type.Union([Type.String(), Type.Null()]),
  deployedByName: Type.Union([Type.String(), Type.Null()]),
});

const DepartmentQuery = Type.Optional(
  Type.String({
    pattern: '^[A-Za-z0-9_-]{2,32}$',
    description: '执法机关代码（仅监督机构和系统管理员可指定其他机关）',
  }),
);
const KeyParams = Type.Object({ key: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,99}$' }) });

function toDefinition(d: DefinitionSummary) {
  return {
    id: d.id,
    departmentId: d.departmentId,
    processKey: d.processKey,
    name: d.name,
    version: d.version,
    sha256: d.sha256,
    deployedAt: d.deployedAt.toISOString(),
    deployedBy: d.deployedBy,
  };
}

export const definitionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The department a request is about: the caller's own, or `?department=` for those allowed to choose. */
  async function departmentFor(actor: Actor, code: string | undefined, mayChoose: boolean): Promise<string> {
    if (code === undefined || code === actor.departmentCode) return actor.departmentId;
    if (!mayChoose) throw new AppError(403, 'FORBIDDEN', '无权访问其他执法机关的流程定义');
    const department = await identity.findDepartmentByCode(app.db, code);
    if (!department) throw new AppError(404, 'NOT_FOUND', `执法机关 ${code} 不存在`);
    return department.id;
  }

  app.get(
    '/api/workflows',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['流程定义'],
        summary: '流程定义列表（每个流程的最新版本；监督机构和系统管理员可见全部机关）',
        querystring: Type.Object({ department: DepartmentQuery }),
        response: { 200: Type.Array(DefinitionListItem), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const all = readsAllDepartments(actor);
      const departmentId =
        all && request.query.department === undefined
          ? undefined
          : await departmentFor(actor, request.query.department, all);
      const list = await listDefinitions(app.db, { departmentId });
      return list.map((d) => ({ ...toDefinition(d), changeNote: d.changeNote, versionCount: d.versionCount }));
    },
  );

  app.get(
    '/api/workflows/:key/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['流程定义'],
        summary: '流程定义的全部版本（部署人、部署时间、变更说明）',
        params: KeyParams,
        querystring: Type.Object({ department: DepartmentQuery }),
        response: { 200: Type.Array(DefinitionVersion), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const departmentId = await departmentFor(actor, request.query.department, readsAllDepartments(actor));
      const versions = await listDefinitionVersions(app.db, departmentId, request.params.key);
      return versions.map((v) => ({ ...toDefinition(v), changeNote: v.changeNote, deployedByName: v.deployedByName }));
    },
  );

  app.get(
    '/api/workflows/:key/versions/:version',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['流程定义'],
        summary: '下载某一版本的 BPMN XML',
        params: Type.Object({ ...KeyParams.properties, version: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ department: DepartmentQuery }),
        produces: ['application/xml'],
        response: {
          200: { description: 'BPMN 2.0 XML', content: { 'application/xml': { schema: Type.String() } } },
          ...stdErrors,
          ...errors(404),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const departmentId = await departmentFor(actor, request.query.department, readsAllDepartments(actor));
      const { key, version } = request.params;
      const definition = await getDefinitionVersion(app.db, departmentId, key, version);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${key}-v${version}.bpmn"`)
        .send(definition.xml);
    },
  );
};
