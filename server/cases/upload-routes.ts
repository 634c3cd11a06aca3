import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import type { Actor } from '../identity/service.js';
import { OPEN_STATUSES } from './attachment-routes.js';
import { saveAttachment } from './attachments.js';
import { cleanFileName } from './file-names.js';
import { visibleCase } from './service.js';

const CHUNK_TYPE = 'application/offset+octet-stream';

const UploadState = Type.Object({
  uploadId: Uuid,
  fileName: Type.String(),
  size: Type.Integer(),
  offset: Type.Integer({ description: '已收到的字节数；续传从此处开始' }),
  attachment: Type.Union([
    Type.Object({
      id: Uuid,
      round: Type.Integer(),
      fileName: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
      sm3: Type.String(),
    }),
    Type.Null(),
  ]),
});

const Params = Type.Object({ id: Uuid, uploadId: Uuid });

/**
 * Chunked, resumable upload for large evidence (a 2 GB video over a poor line): create an upload with the
 * total size, send chunks with `Upload-Offset` (PATCH, application/offset+octet-stream), ask for the offset
 * after a break and go on from there. The last chunk stores the file as an attachment like a direct upload.
 */
export const uploadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(CHUNK_TYPE, (_request, payload, done) => done(null, payload));
  const dir = path.join(app.config.dataDir, 'uploads');
  const fileOf = (id: string) => path.join(dir, id);
  const received = async (id: string) => (await stat(fileOf(id)).catch(() => null))?.size ?? 0;

  async function openUpload(actor: Actor, caseId: string, uploadId: string) {
    const c = await visibleCase(app.cases, actor, caseId);
    const u = await app.db
      .selectFrom('attachment_uploads')
      .selectAll()
      .where('id', '=', uploadId)
      .where('case_id', '=', c.id)
      .executeTakeFirst();
    if (!u) throw new AppError(404, 'NOT_FOUND', '上传任务不存在');
    return { c, u };
  }

  const state = async (u: { id: string; file_name: string; size: number; attachment_id: string | null }) => {
    const a = u.attachment_id
      ? await app.db.selectFrom('case_attachments').selectAll().where('id', '=', u.attachment_id).executeTakeFirst()
      : undefined;
    return {
      uploadId: u.id,
      fileName: u.file_name,
      size: Number(u.size),
      offset: a ? Number(u.size) : await received(u.id),
      attachment: a
        ? { id: a.id, round: a.round, fileName: a.file_name, mediaType: a.media_type, size: Number(a.size), sm3: a.sm3 }
        : null,
    };
  };

  app.post(
    '/api/cases/:id/uploads',
    {
      config: { access: ['officer'] },
      schema: {
        tags: ['送审案件'],
        summary: '开始分片上传（大文件、可续传）',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({
          fileName: Type.String({ minLength: 1, maxLength: 255 }),
          size: Type.Integer({ minimum: 1 }),
        }),
        response: { 201: UploadState, ...stdErrors, ...errors(404, 409, 413) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能为本机关案件上传附件');
      if (!OPEN_STATUSES.has(c.status)) throw new AppError(409, 'CONFLICT', '案件已办结，不能再上传附件');
      if (request.body.size > app.config.ATTACHMENT_MAX_BYTES) {
        throw new AppError(413, 'PAYLOAD_TOO_LARGE', `附件超过 ${app.config.ATTACHMENT_MAX_BYTES} 字节上限`);
      }
      const u = await app.db
        .insertInto('attachment_uploads')
        .values({
          case_id: c.id,
          file_name: cleanFileName(request.body.fileName) || '未命名文件',
          size: request.body.size,
          created_by: actor.id,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await mkdir(dir, { recursive: true });
      return reply.status(201).send(await state(u));
    },
  );

  app.get(
    '/api/cases/:id/uploads/:uploadId',
    {
      config: { access: ['officer'] },
      schema: {
        tags: ['送审案件'],
        summary: '分片上传进度（续传前查询已收到的字节数）',
        params: Params,
        response: { 200: UploadState, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => state((await openUpload(actorOf(request), request.params.id, request.params.uploadId)).u),
  );

  app.patch(
    '/api/cases/:id/uploads/:uploadId',
    {
      config: { access: ['officer'] },
      schema: {
        tags: ['送审案件'],
        summary: '上传一个分片（请求头 Upload-Offset，类型 application/offset+octet-stream）',
        consumes: [CHUNK_TYPE],
        params: Params,
        headers: Type.Object({ 'upload-offset': Type.Integer({ minimum: 0 }) }),
        body: Type.Any({ description: '分片的字节' }),
        response: { 200: UploadState, ...stdErrors, ...errors(404, 409, 413, 415) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { c, u } = await openUpload(actor, request.params.id, request.params.uploadId);
      if (u.created_by !== actor.id) throw new AppError(403, 'FORBIDDEN', '只能续传本人发起的上传');
      if (u.attachment_id) throw new AppError(409, 'CONFLICT', '此上传已完成');
      const offset = await received(u.id);
      if (request.headers['upload-offset'] !== offset) {
        throw new AppError(409, 'CONFLICT', `分片偏移不符：已收到 ${offset} 字节`, { offset });
      }
      const size = Number(u.size);
      let count = offset;
      const bound = new Transform({
        transform(chunk: Buffer, _enc, done) {
          count += chunk.length;
          if (count > size) return done(new AppError(413, 'PAYLOAD_TOO_LARGE', `分片超出声明的文件大小 ${size} 字节`));
          done(null, chunk);
        },
      });
      await pipeline(request.body as NodeJS.ReadableStream, bound, createWriteStream(fileOf(u.id), { flags: 'a' }));
      if (count < size) return state(u);
      const attachment = await saveAttachment(
        { db: app.db, evidence: app.evidence, now: () => app.clock.now(), history: app.runtime.history },
        c,
        actor,
        {
          stream: createReadStream(fileOf(u.id)),
          fileName: u.file_name,
        },
      ).finally(() => rm(fileOf(u.id), { force: true }));
      await app.db
        .updateTable('attachment_uploads')
        .set({ attachment_id: attachment.id })
        .where('id', '=', u.id)
        .execute();
      return state({ ...u, attachment_id: attachment.id });
    },
  );
};
