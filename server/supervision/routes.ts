import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getDocument } from '../documents/service.js';
import { contentDisposition } from '../http/downloads.js';
import { AppError } from '../http/errors.js';
import { errors, IdParams, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { readsAllDepartments } from '../identity/service.js';
import { saveSupervisionFile } from './files.js';
import * as q from './queries.js';
import { answerItem, issueItem, reviewAnswer, visibleItem } from './service.js';
import { itemDetail, itemView } from './view.js';

const TAGS = ['执法监督'];
const READERS = ['supervisor', 'admin', 'legal_admin', 'chief'] as const;
const Status = Type.Union([
  Type.Literal('open'),
  Type.Literal('answered'),
  Type.Literal('returned'),
  Type.Literal('accepted'),
]);
const Kind = Type.Union([Type.Literal('opinion'), Type.Literal('correction')], {
  description: 'opinion 监督意见（行政执法监督意见书）/ correction 纠正通知（行政执法监督纠正通知书）',
});
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Basis = (description: string) => Type.Optional(Type.String({ maxLength: 2000, description }));
// Closed: a caller still sending the one 依据 of before (legalBasis) is told so, not silently ignored.
const IssueBody = Type.Object(
  {
    kind: Kind,
    caseId: Type.Optional(Uuid),
    departmentId: Type.Optional(Uuid),
    subject: Type.String({ minLength: 2, maxLength: 200, description: '事由' }),
    findings: Type.String({ minLength: 2, maxLength: 10000, description: '发现的问题' }),
    requirements: Type.String({ minLength: 2, maxLength: 10000, description: '监督意见或纠正要求' }),
    supervisionBasis: Basis('监督依据：开展此次监督所依据的规定，文书写作“根据（依据）…开展行政执法监督”'),
    breachedRules: Basis('违反的规定：被监督的执法行为不符合的法律、法规、规章条款，文书写作“不符合…的规定”'),
    workingDays: Type.Integer({ minimum: 1, maximum: 60, description: '办理期限（工作日，自发出之日起算）' }),
  },
  { additionalProperties: false },
);

const FileSchema = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
  sm3: Type.String(),
  uploadedAt: IsoDateTime,
});
export const ItemSchema = Type.Object({
  id: Uuid,
  kind: Kind,
  kindLabel: Type.String(),
  agencyId: Uuid,
  agency: Type.String(),
  caseId: Nullable(Uuid),
  caseNumber: Nullable(Type.String()),
  subject: Type.String(),
  findings: Type.String(),
  requirements: Type.String(),
  supervisionBasis: Nullable(Type.String({ description: '监督依据' })),
  breachedRules: Nullable(Type.String({ description: '违反的规定' })),
  workingDays: Type.Integer(),
  dueAt: IsoDateTime,
  dueProvisional: Type.Boolean(),
  status: Status,
  overdue: Type.Boolean(),
  documentId: Nullable(Uuid),
  documentNumber: Nullable(Type.String()),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(IsoDateTime),
  acceptedAt: Nullable(IsoDateTime),
  returnedCount: Type.Integer(),
  issuedBy: Uuid,
  createdAt: IsoDateTime,
});
const Detail = Type.Intersect([
  ItemSchema,
  Type.Object({
    answers: Type.Array(
      Type.Object({
        round: Type.Integer(),
        answer: Type.String(),
        answeredBy: Type.String(),
        answeredAt: IsoDateTime,
        fileIds: Type.Array(Uuid),
        verdict: Type.Union([Type.Literal('accepted'), Type.Literal('returned'), Type.Null()]),
        verdictNote: Nullable(Type.String()),
        reviewedAt: Nullable(IsoDateTime),
      }),
    ),
    files: Type.Array(FileSchema),
  }),
]);

/** 执法监督: the justice bureau's opinions and correction notices, the agency's answers and their review. */
export const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const detail = async (id: string) => itemDetail(app.db, id, app.clock.now());

  app.post(
    '/api/supervision/opinions',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: TAGS,
        summary: '发出监督意见或纠正通知（针对案件或执法机关；期限按工作日计；生成文书并由发出人签署）',
        body: IssueBody,
        response: { 201: Detail, ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const item = await issueItem(app.supervision, actorOf(request), request.body);
      return reply.status(201).send(await detail(item.id));
    },
  );

  app.get(
    '/api/supervision/opinions',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '监督意见列表（司法行政部门看全部，执法机关看发给本机关的）；state=overdue 为已超期的',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union([
              Type.Literal('open'),
              Type.Literal('overdue'),
              Type.Literal('answered'),
              Type.Literal('returned'),
              Type.Literal('accepted'),
            ]),
          ),
          departmentId: Type.Optional(Uuid),
          caseId: Type.Optional(Uuid),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(ItemSchema) }), ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.clock.now();
      const own = readsAllDepartments(actor) ? request.query.departmentId : actor.departmentId;
      if (request.query.departmentId && own !== request.query.departmentId) return { items: [] };
      const rows = await q.listItems(app.db, { ...request.query, departmentId: own, now });
      return { items: rows.map((r) => itemView(r, now)) };
    },
  );

  app.get(
    '/api/supervision/opinions/:id',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '监督意见详情：办理情况的各次报送、附件与审查结果',
        params: IdParams,
        response: { 200: Detail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await visibleItem(app.db, actorOf(request), request.params.id);
      return detail(request.params.id);
    },
  );

  app.get(
    '/api/supervision/opinions/:id/document',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '下载监督意见书或纠正通知书（.docx）',
        params: IdParams,
        response: { 200: Type.Any(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const item = await visibleItem(app.db, actorOf(request), request.params.id);
      const doc = item.document_id ? await getDocument(app.db, item.document_id) : undefined;
      if (!doc) throw new AppError(404, 'NOT_FOUND', '文书不存在');
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', contentDisposition('attachment', doc.file_name))
        .header('x-content-sm3', doc.sm3)
        .send(doc.content);
    },
  );

  app.post(
    '/api/supervision/opinions/:id/files',
    {
      config: { access: ['legal_admin', 'chief'] },
      schema: {
        tags: TAGS,
        summary: '上传办理情况的附件（multipart/form-data；按内容识别类型）；报送办理情况时以 fileIds 带上',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: Type.Object({ items: Type.Array(FileSchema) }), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const item = await visibleItem(app.db, actor, request.params.id);
      if (!request.isMultipart())
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
      const items = [];
      const deps = { db: app.db, evidence: app.evidence };
      for await (const part of request.files({ limits: { fileSize: app.config.ATTACHMENT_MAX_BYTES } })) {
        items.push(await saveSupervisionFile(deps, item, actor, { stream: part.file, fileName: part.filename }));
      }
      if (items.length === 0) throw new AppError(400, 'VALIDATION_FAILED', '没有收到文件');
      return reply.status(201).send({ items });
    },
  );

  app.get(
    '/api/supervision/opinions/:id/files/:fileId',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '下载办理情况的附件',
        params: Type.Object({ id: Uuid, fileId: Uuid }),
        response: { 200: Type.Any(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const item = await visibleItem(app.db, actorOf(request), request.params.id);
      const f = (await q.filesOf(app.db, item.id)).find((x) => x.id === request.params.fileId);
      if (!f) throw new AppError(404, 'NOT_FOUND', '附件不存在');
      const opened = await app.evidence.open(f.storage_key);
      return reply
        .header('content-type', f.media_type)
        .header('content-length', opened.size)
        .header('content-disposition', contentDisposition('attachment', f.file_name))
        .send(opened.stream);
    },
  );

  app.post(
    '/api/supervision/opinions/:id/answer',
    {
      config: { access: ['legal_admin', 'chief'] },
      schema: {
        tags: TAGS,
        summary: '报送办理情况（被监督机关的法制机构；附件先上传，再以 fileIds 带上）',
        params: IdParams,
        body: Type.Object({
          answer: Type.String({ minLength: 2, maxLength: 10000, description: '办理情况' }),
          fileIds: Type.Array(Uuid, { maxItems: 50, default: [] }),
        }),
        response: { 200: Detail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      await answerItem(app.supervision, actorOf(request), request.params.id, request.body);
      return detail(request.params.id);
    },
  );

  app.post(
    '/api/supervision/opinions/:id/review',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: TAGS,
        summary: '审查办理情况：accepted 认可（办结）或 returned 退回重新办理（须写明理由）',
        params: IdParams,
        body: Type.Object({
          verdict: Type.Union([Type.Literal('accepted'), Type.Literal('returned')]),
          note: Type.Optional(Type.String({ maxLength: 2000, description: '审查意见' })),
        }),
        response: { 200: Detail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      await reviewAnswer(app.supervision, actorOf(request), request.params.id, request.body);
      return detail(request.params.id);
    },
  );
};
