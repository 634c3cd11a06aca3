import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, Paging, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { readsAllDepartments } from '../identity/service.js';
import { archiveRoutes } from './archive-routes.js';
import * as q from './queries.js';
import {
  CheckpointSchema,
  ConsistencyProofSchema,
  InclusionProofSchema,
  RecordItemSchema,
  SignatureCheckSchema,
  SystemKeySchema,
  VerificationSchema,
} from './schemas.js';
import { caseRecord, consistencyBetween, inclusionProof, recordSupervisorAccess } from './service.js';
import { checkCaseSignatures } from './signatures.js';
import { casesOfTarget } from './targets.js';
import { checkpointView } from './tree.js';
import { verifyCase } from './verify.js';

const TAGS = ['执法全过程记录'];

export const recordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(archiveRoutes);
  const systemKey = () => ({
    keyId: app.records.systemKey.keyId,
    publicKey: app.records.systemKey.publicKey,
    algorithm: 'SM2-with-SM3' as const,
  });

  app.get(
    '/api/records/system-key',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '系统 SM2 公钥（用于离线核验检查点与签名证书）',
        response: { 200: SystemKeySchema },
      },
    },
    async () => systemKey(),
  );

  app.get(
    '/api/records/checkpoints',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '已签名的 Merkle 树检查点（公开，最新在前）',
        querystring: Paging,
        response: {
          200: Type.Object({ systemKey: SystemKeySchema, items: Type.Array(CheckpointSchema) }),
          ...errors(400),
        },
      },
    },
    async (request) => ({
      systemKey: systemKey(),
      items: (await q.listCheckpoints(app.db, request.query)).map(checkpointView),
    }),
  );

  app.get(
    '/api/records/checkpoints/latest',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '最新检查点（公示门户展示）',
        response: { 200: CheckpointSchema, ...errors(404) },
      },
    },
    async () => {
      const latest = await q.latestCheckpoint(app.db);
      if (!latest) throw new AppError(404, 'NOT_FOUND', '尚无检查点');
      return checkpointView(latest);
    },
  );

  app.get(
    '/api/records/consistency',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '两个检查点之间的一致性证明（RFC 6962）',
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }),
        response: { 200: ConsistencyProofSchema, ...errors(400, 404) },
      },
    },
    async (request) => consistencyBetween(app.db, request.query.from, request.query.to),
  );

  app.get(
    '/api/cases/:id/record',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '案件全过程记录（哈希链）；司法行政监督人员的调阅记入记录',
        params: IdParams,
        response: {
          200: Type.Object({ caseId: Uuid, items: Type.Array(RecordItemSchema) }),
          ...stdErrors,
          ...errors(404),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await app.records.files.visibleCase(actor, request.params.id);
      await recordSupervisorAccess(app.runtime.history, app.db, actor, c, 'record', app.clock.now());
      return { caseId: c.id, items: await caseRecord(app.db, c.id) };
    },
  );

  app.get(
    '/api/cases/:id/record/verify',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '核验案件记录：哈希链、检查点包含证明、文书与附件哈希、SM2 签名；指出第一处断裂',
        params: IdParams,
        querystring: Type.Object({
          files: Type.Boolean({ default: false, description: '重新计算附件文件的 SM3（大文件较慢）' }),
        }),
        response: { 200: VerificationSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await app.records.files.visibleCase(actor, request.params.id);
      await recordSupervisorAccess(app.runtime.history, app.db, actor, c, 'record.verify', app.clock.now());
      return verifyCase(
        {
          db: app.db,
          trusted: app.records.trusted,
          files: app.records.files,
          hashAttachment: request.query.files ? (id) => app.evidence.hashOf(id) : undefined,
        },
        c.id,
      );
    },
  );

  app.get(
    '/api/cases/:id/record/:seq/proof',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '记录的 Merkle 包含证明（默认对最新检查点）',
        params: Type.Object({ id: Uuid, seq: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ treeSize: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: InclusionProofSchema, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await app.records.files.visibleCase(actor, request.params.id);
      await recordSupervisorAccess(app.runtime.history, app.db, actor, c, 'record.proof', app.clock.now());
      return inclusionProof(app.db, c.id, request.params.seq, request.query.treeSize);
    },
  );

  app.get(
    '/api/cases/:id/signatures',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '案件文书的 SM2 电子签名，当场重新核验（签名有效 / 无效）',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(SignatureCheckSchema) }), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await app.records.files.visibleCase(actor, request.params.id);
      await recordSupervisorAccess(app.runtime.history, app.db, actor, c, 'signatures', app.clock.now());
      return { items: await checkCaseSignatures(app.records.files, app.db, c.id, app.records.trusted) };
    },
  );

  app.get(
    '/api/records/targets/:idCode',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '同一执法对象（身份证号或统一社会信用代码）的全部案件、记录与文件',
        params: Type.Object({ idCode: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Type.Object({ idCode: Type.String(), cases: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
          ...stdErrors,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const cases = await casesOfTarget(
        app.records.files,
        app.db,
        request.params.idCode,
        readsAllDepartments(actor) ? null : actor.departmentId,
      );
      for (const c of cases) {
        await recordSupervisorAccess(
          app.runtime.history,
          app.db,
          actor,
          { id: c.caseId, instance_id: c.instanceId },
          'target',
          app.clock.now(),
        );
      }
      return { idCode: request.params.idCode, cases };
    },
  );
};
