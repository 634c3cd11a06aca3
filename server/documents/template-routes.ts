import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { templateCitationWarnings } from '../laws/template-citations.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { DOCX_TYPE, DocxResponse, sendDocx } from './http.js';
import { DOCUMENT_KINDS, type DocumentKind, formatDocumentNumber, KINDS } from './kinds.js';
import * as q from './queries.js';
import { renderDocx } from './render.js';
import { SAMPLE_DEPARTMENT, sampleDataOf } from './samples.js';
import { sealForDocuments } from './seal/service.js';
import { MAX_TEMPLATE_CHARS, validateTemplate } from './validate.js';
import { variablesOf } from './view.js';

const KindParams = Type.Object({ kind: Type.Enum(DOCUMENT_KINDS, { description: '文书种类' }) });
const TemplateBody = {
  content: { 'text/plain': { schema: Type.String({ maxLength: MAX_TEMPLATE_CHARS, description: 'Handlebars 模板' }) } },
};
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const TemplateSummary = Type.Object({
  kind: Type.String(),
  name: Type.String({ description: '文书名称' }),
  numberSuffix: Type.String({ description: '文号中的种类代字，如 法审' }),
  variables: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), description: Type.String() })),
  override: Nullable(Type.Object({ updatedAt: IsoDateTime, updatedBy: Uuid })),
});

const TemplateView = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  origin: Type.Union([Type.Literal('standard'), Type.Literal('department')], {
    description: 'department：本机关上传的模板；standard：系统标准模板',
  }),
  source: Type.String(),
  updatedAt: Nullable(IsoDateTime),
  updatedBy: Nullable(Uuid),
});

const UploadedTemplate = Type.Object({
  ...TemplateView.properties,
  warnings: Type.Array(
    Type.Object({
      code: Type.Literal('CITATION_UNRESOLVED'),
      citation: Type.String({ description: '模板正文中引用的法律依据' }),
      line: Type.Integer({ description: '所在行（从 1 起）' }),
      message: Type.String(),
    }),
    { description: '模板正文中按今日施行版本核对不上的法律依据：提醒，不阻止上传' },
  ),
});

export const templateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const templates = app.documentTemplates;

  app.get(
    '/api/templates',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['文书模板'],
        summary: '文书种类、模板可用的变量，以及本机关是否有自定义模板',
        response: { 200: Type.Array(TemplateSummary), ...errors(401) },
      },
    },
    async (request) => {
      const changes = await q.templateChanges(app.db, actorOf(request).departmentId);
      return DOCUMENT_KINDS.map((kind) => {
        const change = changes.find((c) => c.kind === kind && c.source !== null);
        return {
          kind,
          name: KINDS[kind].name,
          numberSuffix: KINDS[kind].numberSuffix,
          variables: variablesOf(kind),
          override: change ? { updatedAt: change.created_at.toISOString(), updatedBy: change.created_by } : null,
        };
      });
    },
  );

  app.get(
    '/api/templates/:kind',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['文书模板'],
        summary: '本机关当前使用的模板源文件',
        params: KindParams,
        response: { 200: TemplateView, ...stdErrors },
      },
    },
    async (request) => {
      const t = await templates.current(app.db, actorOf(request).departmentId, request.params.kind);
      return { ...t, name: KINDS[t.kind].name, updatedAt: t.updatedAt?.toISOString() ?? null };
    },
  );

  app.put(
    '/api/templates/:kind',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['文书模板'],
        summary:
          '上传本机关的模板（text/plain）；先用示例数据校验，错误指出行号；正文引用的法律依据按今日施行版本核对，核对不上的作为提醒返回',
        params: KindParams,
        body: TemplateBody,
        response: { 200: UploadedTemplate, ...stdErrors, ...errors(415, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { kind } = request.params;
      const source = request.body;
      if (typeof source !== 'string') throw new AppError(400, 'BAD_REQUEST', '请以 text/plain 上传模板源文件');
      await validateTemplate(kind, source, templates.engine, templates);
      const at = app.clock.now();
      const warnings = await templateCitationWarnings(app.db, source, instantToShanghaiDate(at));
      await q.insertTemplate(app.db, {
        departmentId: actor.departmentId,
        kind,
        source,
        createdBy: actor.id,
        createdAt: at,
      });
      return {
        kind,
        name: KINDS[kind].name,
        origin: 'department' as const,
        source,
        updatedAt: at.toISOString(),
        updatedBy: actor.id,
        warnings,
      };
    },
  );

  app.delete(
    '/api/templates/:kind',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['文书模板'],
        summary: '本机关恢复使用标准模板（历史上传记录保留）',
        params: KindParams,
        response: { 204: Type.Null(), ...stdErrors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { kind } = request.params;
      const now = await templates.current(app.db, actor.departmentId, kind);
      if (now.origin === 'department') {
        await q.insertTemplate(app.db, {
          departmentId: actor.departmentId,
          kind,
          source: null,
          createdBy: actor.id,
          createdAt: app.clock.now(),
        });
      }
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/templates/:kind/preview',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['文书模板'],
        summary: '用示例数据预览模板（请求体为模板源文件，或为空以预览当前模板；有本机关印章时一并显示），返回 .docx',
        params: KindParams,
        body: TemplateBody,
        produces: [DOCX_TYPE],
        response: { 200: DocxResponse, ...stdErrors, ...errors(415, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const kind: DocumentKind = request.params.kind;
      if (request.body !== undefined && request.body !== null && typeof request.body !== 'string') {
        throw new AppError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          '预览的请求体须为模板源文件（text/plain），或为空以预览当前模板',
        );
      }
      const body = typeof request.body === 'string' && request.body.trim() ? request.body : undefined;
      const source = body ?? (await templates.current(app.db, actor.departmentId, kind)).source;
      await validateTemplate(kind, source, templates.engine, templates);
      const department = await q.departmentForDocuments(app.db, actor.departmentId);
      const abbr = department?.document_abbr ?? department?.code ?? SAMPLE_DEPARTMENT.abbr;
      const issuedOn = instantToShanghaiDate(app.clock.now());
      const year = Number(issuedOn.slice(0, 4));
      const common = {
        number: formatDocumentNumber(abbr, kind, year, 1),
        year,
        department: { name: department?.name ?? SAMPLE_DEPARTMENT.name, abbr },
        issuedOn,
      };
      const seal = await sealForDocuments(app.db, actor.departmentId);
      const bytes = await renderDocx(templates, kind, source, common, sampleDataOf(kind), { seal });
      return sendDocx(reply, bytes, `${KINDS[kind].name}（预览）.docx`, `preview-${kind}.docx`);
    },
  );
};
