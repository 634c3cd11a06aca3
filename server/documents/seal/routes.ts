import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../http/errors.js';
import { errors, IdParams, IsoDateTime, stdErrors, Uuid } from '../../http/schemas.js';
import { actorOf } from '../../identity/access.js';
import {
  assertSealAccess,
  removeSeal,
  SEAL_MAX_BYTES,
  SEAL_RULES,
  type SealInfo,
  saveSeal,
  sealFile,
} from './service.js';

const PNG_TYPE = 'image/png';

const SealView = Type.Object({
  departmentId: Uuid,
  sm3: Type.String({ description: '图片的 SM3 摘要（十六进制）' }),
  size: Type.Integer({ description: '字节数' }),
  width: Type.Integer({ description: '宽（像素）' }),
  height: Type.Integer({ description: '高（像素）' }),
  uploadedBy: Uuid,
  uploadedAt: IsoDateTime,
  warnings: Type.Array(Type.String(), { description: '不影响使用的提示（如背景不透明）' }),
});

// The bodies are checked by their bytes in the handler, not by JSON Schema: these schemas only describe them
// (no `type`/`format`/`properties`, which the validator would apply to a Buffer or to a body multipart leaves unset).
const PngBody = {
  content: {
    [PNG_TYPE]: { schema: Type.Unsafe<Buffer>({ description: `PNG 图片（二进制请求体）。${SEAL_RULES}` }) },
    'multipart/form-data': {
      schema: Type.Unsafe<unknown>({ description: `表单字段 file：印章图片。${SEAL_RULES}` }),
    },
  },
};

const PngResponse = {
  description: '印章图片（PNG）',
  content: { [PNG_TYPE]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};

const view = (seal: SealInfo, warnings: string[] = []) => ({
  ...seal,
  uploadedAt: seal.uploadedAt.toISOString(),
  warnings,
});

/** The uploaded PNG: the raw body, or the one file of a multipart form. */
async function uploadedPng(request: FastifyRequest): Promise<Buffer> {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (!request.isMultipart()) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 image/png 或 multipart/form-data 上传印章图片');
  }
  const part = await request.file({ limits: { fileSize: SEAL_MAX_BYTES, files: 1 } });
  if (!part) throw new AppError(400, 'VALIDATION_FAILED', '没有收到印章图片');
  const png = await part.toBuffer().catch((err) => {
    if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `印章图片不能超过 ${SEAL_MAX_BYTES / 1024} KB`);
  });
  if (png.length === 0) throw new AppError(400, 'VALIDATION_FAILED', '没有收到印章图片');
  return png;
}

/** A department's seal (印章), printed on the documents it issues at the templates' `[seal]` line. */
export const sealRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A larger body is refused while it streams in (413), before anything reads it.
  app.addContentTypeParser(PNG_TYPE, { parseAs: 'buffer', bodyLimit: SEAL_MAX_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.put(
    '/api/departments/:id/seal',
    {
      config: { access: ['admin', 'legal_admin'] },
      schema: {
        tags: ['文书'],
        summary: '上传或替换本机关印章（系统管理员，或本机关法制机构管理员）',
        description:
          `请求体为 image/png 图片本身，或 multipart/form-data 中的一个文件。${SEAL_RULES}。` +
          '此后签发的文书在模板的 [seal] 行盖印；已签发的文书不变。',
        params: IdParams,
        consumes: [PNG_TYPE, 'multipart/form-data'],
        body: PngBody,
        response: { 200: SealView, ...stdErrors, ...errors(404, 413, 415) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      assertSealAccess(actor, request.params.id);
      const png = await uploadedPng(request);
      const saved = await saveSeal(app.db, {
        departmentId: request.params.id,
        png,
        uploadedBy: actor.id,
        at: app.clock.now(),
      });
      return view(saved, saved.warnings);
    },
  );

  app.get(
    '/api/departments/:id/seal',
    {
      config: { access: ['admin', 'legal_admin'] },
      schema: {
        tags: ['文书'],
        summary: '本机关印章图片（供管理员预览）',
        description: '响应头 x-seal-sm3 为图片的 SM3 摘要。',
        params: IdParams,
        produces: [PNG_TYPE],
        response: { 200: PngResponse, ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      assertSealAccess(actorOf(request), request.params.id);
      const seal = await sealFile(app.db, request.params.id);
      if (!seal) throw new AppError(404, 'NOT_FOUND', '本机关尚未上传印章');
      return reply
        .type(PNG_TYPE)
        .header('x-seal-sm3', seal.sm3)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(seal.png);
    },
  );

  app.delete(
    '/api/departments/:id/seal',
    {
      config: { access: ['admin', 'legal_admin'] },
      schema: {
        tags: ['文书'],
        summary: '删除本机关印章：此后签发的文书不再盖印（已签发的文书不变）',
        params: IdParams,
        response: { 204: Type.Null(), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      assertSealAccess(actorOf(request), request.params.id);
      if (!(await removeSeal(app.db, request.params.id))) {
        throw new AppError(404, 'NOT_FOUND', '本机关没有印章可删除');
      }
      return reply.status(204).send(null);
    },
  );
};
