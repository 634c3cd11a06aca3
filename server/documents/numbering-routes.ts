import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { setDocumentAbbreviation } from '../identity/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { DOCUMENT_KINDS, formatDocumentNumber } from './kinds.js';
import * as q from './queries.js';

const Numbering = Type.Object({
  abbreviation: Type.Union([Type.String(), Type.Null()], { description: '机关代字，如 市监；未设置时用机关代码' }),
  examples: Type.Record(Type.String(), Type.String(), { description: '各种类文书今年第 1 号的样式' }),
});

export const numberingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const view = async (departmentId: string) => {
    const department = await q.departmentForDocuments(app.db, departmentId);
    if (!department) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
    const year = Number(instantToShanghaiDate(app.clock.now()).slice(0, 4));
    const abbr = department.document_abbr ?? department.code;
    return {
      abbreviation: department.document_abbr,
      examples: Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, formatDocumentNumber(abbr, k, year, 1)])),
    };
  };

  app.get(
    '/api/document-numbering',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['文书模板'],
        summary: '本机关文书编号：机关代字与文号样式',
        response: { 200: Numbering, ...errors(401, 404) },
      },
    },
    async (request) => view(actorOf(request).departmentId),
  );

  app.put(
    '/api/document-numbering',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['文书模板'],
        summary: '设置本机关的机关代字（文号如 市监法审〔2026〕12号 中的“市监”）；null 恢复为机关代码',
        body: Type.Object({
          abbreviation: Type.Union([
            Type.String({ minLength: 1, maxLength: 20, pattern: '^[^\\s〔〕\\[\\]]+$' }),
            Type.Null(),
          ]),
        }),
        response: { 200: Numbering, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const { departmentId } = actorOf(request);
      await setDocumentAbbreviation(app.db, departmentId, request.body.abbreviation);
      return view(departmentId);
    },
  );
};
