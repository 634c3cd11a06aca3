import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { AppError } from '../http/errors.js';
import { errors, IdParams } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { assertDepartmentAccess } from '../identity/service.js';
import { DOCX_TYPE, DocxResponse, sendDocx } from './http.js';
import { numberingRoutes } from './numbering-routes.js';
import { sealRoutes } from './seal/routes.js';
import { getDocument } from './service.js';
import { templateRoutes } from './template-routes.js';
import type { TemplateSource } from './template-source.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The templates documents are rendered with; pass it to issueDocument. */
    documentTemplates: TemplateSource;
  }
}

/** The process's TemplateSource (templates/*.hbs, read and checked by the assembly) for the routes. */
export const documentsPlugin = fp<{ templates: TemplateSource }>(
  async (app, { templates }) => {
    app.decorate('documentTemplates', templates);
  },
  { name: 'documents' },
);

export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(templateRoutes);
  await app.register(numberingRoutes);
  await app.register(sealRoutes);

  app.get(
    '/api/documents/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['文书'],
        summary: '下载文书（.docx）；本机关、监督机构和系统管理员可见',
        description: '响应头 x-document-sm3 为文件的 SM3 摘要（十六进制），x-document-number 为文号（URL 编码）。',
        params: IdParams,
        produces: [DOCX_TYPE],
        response: { 200: DocxResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const doc = await getDocument(app.db, request.params.id);
      if (!doc) throw new AppError(404, 'NOT_FOUND', '文书不存在');
      assertDepartmentAccess(actorOf(request), doc.department_id);
      reply.header('x-document-sm3', doc.sm3).header('x-document-number', encodeURIComponent(doc.number));
      return sendDocx(reply, doc.content, doc.file_name, `${doc.kind}.docx`);
    },
  );
};
