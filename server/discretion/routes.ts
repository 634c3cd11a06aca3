import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordSupervisorView, visibleCase } from '../cases/service.js';
import type { Packet } from '../cases/tables.js';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { assessPacket } from './assess.js';
import { HEADER, importBenchmark, MAX_IMPORT_BYTES, MAX_IMPORT_LINES } from './csv-import.js';
import {
  AssessmentSchema,
  ChangeSchema,
  ImportQuery,
  ImportResultSchema,
  ItemInputSchema,
  ItemParams,
  ItemSchema,
} from './schemas.js';
import {
  benchmarkChanges,
  deleteBenchmarkItem,
  getBenchmarkItem,
  listBenchmark,
  saveBenchmarkItem,
} from './service.js';

const TAGS = ['裁量基准'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const READERS = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;
const MAINTAINERS = ['legal_admin', 'admin'] as const;

/**
 * A department's 行政处罚裁量基准: its legal admin maintains it (items, CSV import); the department's officers,
 * reviewers and chiefs read it; the justice bureau (supervisors) and admins read every department's.
 */
export const discretionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = () => ({ db: app.db, clock: app.clock });
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  const base = '/api/departments/:id/discretion-benchmarks';

  app.get(
    base,
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '本机关的裁量基准（各违法行为、各情节的裁量幅度）',
        params: IdParams,
        response: { 200: Type.Array(ItemSchema), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => listBenchmark(ctx(), actorOf(request), request.params.id),
  );

  app.post(
    base,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: '新增裁量基准事项',
        params: IdParams,
        body: ItemInputSchema,
        response: { 201: ItemSchema, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await saveBenchmarkItem(ctx(), actorOf(request), request.params.id, request.body)),
  );

  app.get(
    `${base}/changes`,
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '裁量基准的修改记录（谁、何时、改了什么），最近 50 条',
        params: IdParams,
        response: { 200: Type.Array(ChangeSchema), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => benchmarkChanges(ctx(), actorOf(request), request.params.id),
  );

  app.get(
    `${base}/:itemId`,
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '裁量基准事项详情',
        params: ItemParams,
        response: { 200: ItemSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => getBenchmarkItem(ctx(), actorOf(request), request.params.id, request.params.itemId),
  );

  app.put(
    `${base}/:itemId`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: '修改裁量基准事项（各情节以本次提交为准）',
        params: ItemParams,
        body: ItemInputSchema,
        response: { 200: ItemSchema, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const { id, itemId } = request.params;
      return saveBenchmarkItem(ctx(), actorOf(request), id, request.body, itemId);
    },
  );

  app.delete(
    `${base}/:itemId`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: '删除裁量基准事项',
        params: ItemParams,
        response: { 204: Type.Null(), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      await deleteBenchmarkItem(ctx(), actorOf(request), request.params.id, request.params.itemId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/cases/:id/discretion-check',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary:
          '案件拟处罚与所选裁量基准事项、情节的核对结果（未选择事项时为 null）；司法行政监督人员的调阅记入时间线',
        params: IdParams,
        response: { 200: Nullable(AssessmentSchema), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      await recordSupervisorView(app.cases, actor, c);
      const a = await assessPacket(app.db, c.department_id, c.packet as Packet);
      return a && { ...a, range: undefined };
    },
  );

  app.post(
    `${base}/import`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: `以 CSV 导入裁量基准（UTF-8，表头“${HEADER}”，每个情节一行，说明一列可省略；全部成功或全部不导入，错误注明行号；不超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB、${MAX_IMPORT_LINES} 行）`,
        params: IdParams,
        querystring: ImportQuery,
        consumes: ['text/csv'],
        body: Type.Unsafe<Buffer>({ description: 'CSV 文件内容（text/csv，UTF-8，可带 BOM）' }),
        response: { 200: ImportResultSchema, ...stdErrors, ...errors(404, 409, 413, 415) },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 text/csv 上传');
      return importBenchmark(ctx(), actorOf(request), request.params.id, request.body, request.query.mode);
    },
  );
};
