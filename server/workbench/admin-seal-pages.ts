import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { removeSeal, SEAL_MAX_BYTES, saveSeal } from '../documents/seal/service.js';
import { AppError } from '../http/errors.js';
import { departmentEditPage, loadDepartment, savedValues } from './admin-department-pages.js';

interface SealUpload {
  _csrf?: string;
  png?: Buffer;
  uploadError?: string;
}

/**
 * Reads the seal form (multipart: the CSRF token and one file) into request.body before the CSRF check, which
 * looks for `_csrf` there. The file is small and read whole.
 */
async function readSealUpload(request: FastifyRequest) {
  if (!request.isMultipart()) return;
  const body: SealUpload = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: SEAL_MAX_BYTES, files: 1, fields: 5 } })) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (buffer.length > 0) body.png = buffer;
      } else if (part.fieldname === '_csrf') {
        body._csrf = String(part.value ?? '');
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
    body.uploadError = `印章图片不能超过 ${SEAL_MAX_BYTES / 1024} KB`;
  }
  request.body = body;
}

/** 印章 on the department page (admin): upload or replace with a preview, and remove. */
export const adminSealPages: FastifyPluginAsync = async (app) => {
  app.post(
    '/admin/departments/:id/seal',
    { schema: { hide: true }, preHandler: [readSealUpload, app.csrfProtection] },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const dept = await loadDepartment(app, (request.params as { id: string }).id);
      const body = (request.body ?? {}) as SealUpload;
      let error = body.uploadError ?? (body.png ? undefined : '请选择印章图片（PNG）');
      if (!error && body.png) {
        try {
          const saved = await saveSeal(app.db, {
            departmentId: dept.departmentId,
            png: body.png,
            uploadedBy: actor.id,
            at: app.clock.now(),
          });
          const outcome = saved.warnings.length ? 'opaque' : 'saved';
          return reply.redirect(`/admin/departments/${dept.departmentId}?seal=${outcome}#seal`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || err.statusCode >= 500 || err.statusCode === 404) throw err;
          error = err.message;
        }
      }
      reply.status(400);
      return departmentEditPage(app, reply, actor, dept, { values: savedValues(dept), errors: {} }, { error });
    },
  );

  app.post(
    '/admin/departments/:id/seal/delete',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const dept = await loadDepartment(app, (request.params as { id: string }).id);
      await removeSeal(app.db, dept.departmentId);
      return reply.redirect(`/admin/departments/${dept.departmentId}?seal=removed#seal`, 303);
    },
  );
};
