import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contentDisposition } from '../http/downloads.js';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { exportCaseArchive } from './archive.js';
import { verifyArchive } from './archive-verify.js';
import { recordSupervisorAccess } from './service.js';

const ArchiveResult = Type.Object({
  ok: Type.Boolean(),
  caseId: Type.Union([Type.String(), Type.Null()]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  records: Type.Integer(),
  proven: Type.Integer(),
  archiveSm3: Type.String(),
  problems: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});

/** 案卷归档: export a case archive; import (receive) one, refusing it unless it verifies against our keys. */
export const archiveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/cases/:id/archive',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['执法全过程记录'],
        summary: '导出案卷归档包（zip：索引、文书、附件、全过程记录及其证明、最新检查点、核验说明）',
        params: IdParams,
        response: { 200: Type.Any({ description: 'application/zip' }), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const c = await app.records.files.visibleCase(actor, request.params.id);
      await recordSupervisorAccess(app.runtime.history, app.db, actor, c, 'archive', app.clock.now());
      const stream = await exportCaseArchive(
        {
          db: app.db,
          systemKey: app.records.systemKey,
          backend: app.evidence.backend,
          documents: { get: async (db, id) => app.cases.documents.get(db, id) },
          files: app.records.files,
        },
        c,
        app.clock.now(),
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', contentDisposition('attachment', `案卷-${c.case_number}.zip`))
        .send(stream);
    },
  );

  app.post(
    '/api/records/archives',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags: ['执法全过程记录'],
        summary: '接收（导入）案卷归档包：逐项核验，被改动的归档包一律拒收',
        consumes: ['multipart/form-data'],
        response: { 201: ArchiveResult, ...stdErrors, ...errors(413, 415, 422) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传归档包');
      const part = await request.file({ limits: { fileSize: app.config.ATTACHMENT_MAX_BYTES } });
      if (!part) throw new AppError(400, 'VALIDATION_FAILED', '没有收到归档包');
      const dir = path.join(app.config.dataDir, 'archives');
      await mkdir(path.join(dir, 'incoming'), { recursive: true });
      const incoming = path.join(dir, 'incoming', `${Date.now()}-${Math.random().toString(36).slice(2)}.zip`);
      try {
        await pipeline(part.file, createWriteStream(incoming));
        if (part.file.truncated) throw new AppError(413, 'PAYLOAD_TOO_LARGE', '归档包过大');
        const v = await verifyArchive(incoming, [...app.records.trusted.values()]);
        if (!v.ok) {
          throw new AppError(422, 'ARCHIVE_INVALID', `归档包核验未通过，拒收：${v.problems[0]?.message ?? ''}`, {
            problems: v.problems.slice(0, 50),
          });
        }
        const hash = createHash('sm3');
        for await (const chunk of createReadStream(incoming)) hash.update(chunk as Buffer);
        const archiveSm3 = hash.digest('hex');
        await rename(incoming, path.join(dir, `${archiveSm3}.zip`));
        return reply.status(201).send({
          ok: true,
          caseId: v.caseId,
          caseNumber: v.caseNumber,
          records: v.records,
          proven: v.proven,
          archiveSm3,
          problems: [],
        });
      } finally {
        await rm(incoming, { force: true });
      }
    },
  );
};
