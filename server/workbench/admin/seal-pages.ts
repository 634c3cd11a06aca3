import type { FastifyPluginAsync } from 'fastify';
import { removeSeal, SEAL_MAX_BYTES, saveSeal } from '../../documents/seal/service.js';
import { statusOf } from '../../http/errors.js';
import { readUploadForm } from '../../http/form-upload.js';
import { DomainError } from '../../infra/errors.js';
import { departmentEditPage, loadDepartment, savedValues } from './department-pages.js';

interface SealUpload {
  _csrf?: string;
  png?: Buffer;
  uploadError?: string;
}

const readSealUpload = readUploadForm<SealUpload>({
  maxFileBytes: SEAL_MAX_BYTES,
  fields: [],
  tooLarge: `印章图片不能超过 ${SEAL_MAX_BYTES / 1024} KB`,
  shape: ({ fields, file, uploadError }) => ({ _csrf: fields._csrf, png: file?.content, uploadError }),
});

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
          if (!(err instanceof DomainError) || statusOf(err) >= 500 || statusOf(err) === 404) throw err;
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
