import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DefinitionSchema } from '../definitions/schemas.js';
import { deployChecks } from '../definitions/validate.js';
import { decodeUpload } from '../definitions/xml-safety.js';
import { AppError } from '../http/errors.js';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import * as identity from '../identity/directory.js';
import { hasRole } from '../identity/service.js';
import { DeploymentRequestSchema, requestJson } from './schemas.js';
import { type GovernanceContext, proposeDeployment } from './service.js';

const XML_TYPES = ['application/xml', 'text/xml'];

const Latest = Type.Object(DefinitionSchema.properties, { description: '与最新版本相同，未提出申请' });

/**
 * `POST /api/workflows`: BPMN uploaded as the raw XML body (for scripts and integrations). It proposes a
 * deployment like the modeler does; a second legal admin of the department approves it before it is deployed.
 */
export const workflowUploadRoute: FastifyPluginAsyncTypebox<{ governance: GovernanceContext }> = async (app, opts) => {
  // Only this plugin's route: the XML body with its own (larger) size limit; JSON or plain text is a 415.
  app.removeAllContentTypeParsers();
  const encodingProblems = new WeakMap<object, string>();
  app.addContentTypeParser(
    XML_TYPES,
    { parseAs: 'buffer', bodyLimit: app.config.BPMN_MAX_BYTES },
    (req, body, done) => {
      const { text, problem } = decodeUpload(body as Buffer);
      if (problem) encodingProblems.set(req, problem);
      done(null, text);
    },
  );

  app.post(
    '/api/workflows',
    {
      config: { access: ['legal_admin', 'admin'] },
      bodyLimit: app.config.BPMN_MAX_BYTES,
      schema: {
        tags: ['流程定义'],
        summary:
          '提出 BPMN 流程定义的部署申请（请求体为 BPMN XML，须填写变更说明 note）；本机关另一名法制机构管理员批准后部署；与最新版本相同的 XML 不产生申请',
        consumes: XML_TYPES,
        querystring: Type.Object({
          note: Type.Optional(Type.String({ maxLength: 500, description: '变更说明' })),
          department: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z0-9_-]{2,32}$',
              description: '执法机关代码（仅系统管理员可为其他机关提出申请）',
            }),
          ),
        }),
        body: Type.String({ description: 'BPMN 2.0 XML', minLength: 1 }),
        response: {
          202: DeploymentRequestSchema,
          200: Latest,
          ...stdErrors,
          ...errors(404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      let departmentId = actor.departmentId;
      const code = request.query.department;
      if (code !== undefined && code !== actor.departmentCode) {
        if (!hasRole(actor, 'admin')) throw new AppError(403, 'FORBIDDEN', '无权访问其他执法机关的流程定义');
        const department = await identity.findDepartmentByCode(app.db, code);
        if (!department) throw new AppError(404, 'NOT_FOUND', `执法机关 ${code} 不存在`);
        departmentId = department.id;
      }
      const proposed = await proposeDeployment(opts.governance, {
        departmentId,
        xml: request.body,
        note: request.query.note?.trim() || '未填写变更说明',
        submittedBy: actor.id,
        checks: {
          ...deployChecks(app.config, app.runtime.serviceNames, app.clock.now()),
          encodingProblem: encodingProblems.get(request),
        },
      });
      if (proposed.unchanged) {
        const d = proposed.unchanged;
        return reply.status(200).send({
          id: d.id,
          departmentId: d.department_id,
          processKey: d.process_key,
          name: d.name,
          version: d.version,
          sha256: d.sha256,
          deployedAt: d.deployed_at.toISOString(),
          deployedBy: d.deployed_by,
        });
      }
      return reply.status(202).send({ ...requestJson(proposed.request), warnings: proposed.warnings });
    },
  );
};
