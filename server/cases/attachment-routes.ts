import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contentDisposition } from '../http/downloads.js';
import { AppError } from '../http/errors.js';
import { errors, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { saveAttachment } from './attachments.js';
import * as q from './queries.js';
import { visibleCase } from './service.js';
import { uploadRoutes } from './upload-routes.js';

const Attachment = Type.Object({
  id: Uuid,
  round: Type.Integer(),
  fileName: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
  sm3: Type.String(),
});

export const OPEN_STATUSES = new Set([
  'accepting',
  'completing',
  'reviewing',
  'correcting',
  'contesting',
  'not_required',
]);

export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(uploadRoutes);
  app.post(
    '/api/cases/:id/attachments',
    {
      config: { access: ['officer'] },
      schema: {
        tags: ['送审案件'],
        summary: '上传送审附件（文书、照片、音视频；按文件内容识别类型，各类型有大小上限；multipart/form-data）',
        consumes: ['multipart/form-data'],
        params: Type.Object({ id: Uuid }),
        response: { 201: Type.Object({ items: Type.Array(Attachment) }), ...stdErrors, ...errors(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能为本机关案件上传附件');
      if (!OPEN_STATUSES.has(c.status)) throw new AppError(409, 'CONFLICT', '案件已办结，不能再上传附件');
      if (!request.isMultipart())
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
      const items = [];
      const deps = { db: app.db, evidence: app.evidence, now: () => app.clock.now(), history: app.runtime.history };
      for await (const part of request.files({ limits: { fileSize: app.cases.attachmentMaxBytes } })) {
        items.push(await saveAttachment(deps, c, actor, { stream: part.file, fileName: part.filename }));
      }
      if (items.length === 0) throw new AppError(400, 'VALIDATION_FAILED', '没有收到文件');
      return reply.status(201).send({ items });
    },
  );

  app.get(
    '/api/cases/:id/attachments/:attachmentId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['送审案件'],
        summary: '下载或在线播放附件（支持 Range）',
        params: Type.Object({ id: Uuid, attachmentId: Uuid }),
        response: { 200: Type.Any(), 206: Type.Any(), ...errors(400, 401, 404, 416) },
      },
    },
    async (request, reply) => {
      const c = await visibleCase(app.cases, actorOf(request), request.params.id);
      const a = await q.findAttachment(app.db, c.id, request.params.attachmentId);
      if (!a) throw new AppError(404, 'ATTACHMENT_NOT_FOUND', '附件不存在');
      const opened = await app.evidence.open(a.storage_key, request.headers.range);
      reply.header('content-type', a.media_type).header('accept-ranges', 'bytes');
      reply.header('content-disposition', contentDisposition('inline', a.file_name));
      if (opened.partial) {
        reply
          .status(206)
          .header('content-range', `bytes ${opened.partial.start}-${opened.partial.end}/${opened.size}`)
          .header('content-length', opened.partial.end - opened.partial.start + 1);
      } else reply.header('content-length', opened.size);
      return reply.send(opened.stream);
    },
  );

  app.get(
    '/api/cases/:id/documents/:documentId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['送审案件'],
        summary: '下载案件文书（.docx）',
        params: Type.Object({ id: Uuid, documentId: Uuid }),
        response: { 200: Type.Any(), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const c = await visibleCase(app.cases, actorOf(request), request.params.id);
      const doc = await app.cases.documents.get(app.db, request.params.documentId);
      if (!doc || doc.info.caseId !== c.id) throw new AppError(404, 'NOT_FOUND', '文书不存在');
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', contentDisposition('attachment', doc.info.fileName))
        .header('x-content-sm3', doc.info.sm3)
        .send(doc.content);
    },
  );
};
