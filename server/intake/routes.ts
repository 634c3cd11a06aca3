import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PacketSchema, SubmittedFactsSchema } from '../cases/schemas.js';
import { errors, IdParams, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { putCase, receiveBatch, receiveEvent } from './service.js';
import { intakeCaller, issueKey, listSystems, registerSystem, revokeKey } from './systems.js';

const ADMIN_TAGS = ['案件接入'];
const TAGS = ['案件接入（外部办案系统）'];
const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { intakeKey: [] }];

const Params = Type.Object({
  system: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,39}$', description: '接入系统代码' }),
  externalId: Type.String({ minLength: 1, maxLength: 200, description: '外部办案系统的案件编号' }),
});

const EvidenceRef = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 200, description: '外部证据编号' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  url: Type.Optional(Type.String({ maxLength: 2000 })),
});

const Officer = Type.Object(
  {
    certificateNumber: Type.String({
      minLength: 1,
      maxLength: 50,
      title: '执法证号',
      description: '本机关执法人员的执法证号',
    }),
    name: Type.Optional(
      Type.String({ maxLength: 50, title: '执法人员姓名', description: '给出时须与执法证持证人一致' }),
    ),
  },
  {
    title: '承办执法人员',
    description:
      '对本事件负责的执法人员，按执法证号对应本机关用户；出具文书的事件（notice_served 事先告知书、hearing_notified 听证通知书、served 送达回证）必填，文书载明该执法人员',
  },
);

const EVENT_DOC =
  '一个办案环节事件：eventId（幂等键：同一 eventId 只记录一次）、type、date 及该类型事件的其余字段（同 POST /api/cases/{id}/stages/events，' +
  '不带 externalId）；出具文书的事件（notice_served、hearing_notified、served）须以 officer 给出承办执法人员（执法证号）；结束或关联环节可用 stageEventId（开始该环节的事件的 eventId）代替 stageId；证据以 attachmentIds（本系统附件）或 evidenceRefs（外部证据编号）引用。';

const IntakeEvent = Type.Object(
  {
    eventId: Type.Optional(Type.String({ description: '事件编号（幂等键，必填）' })),
    type: Type.Optional(Type.String({ description: 'filed、stage_opened、stage_closed、notice_served、statement 等' })),
    date: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })),
    stageEventId: Type.Optional(Type.String({ description: '开始该环节的事件的 eventId' })),
    evidenceRefs: Type.Optional(Type.Array(EvidenceRef, { maxItems: 50 })),
    officer: Type.Optional(Officer),
  },
  { additionalProperties: true, description: EVENT_DOC },
);

const EventBody = Type.Object(
  {
    ...IntakeEvent.properties,
    events: Type.Optional(
      Type.Array(Type.Object({}, { additionalProperties: true, description: EVENT_DOC }), {
        minItems: 1,
        maxItems: 1000,
        description: '批量：每个事件单独应答（results 与 events 一一对应）',
      }),
    ),
  },
  { additionalProperties: true, description: `单个事件，或 { events: [...] } 批量。${EVENT_DOC}` },
);

const Outcome = Type.Object({
  eventId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('recorded'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  httpStatus: Type.Integer({ description: '该事件单独发送时的应答状态' }),
  lifecycleEventId: Type.Optional(Uuid),
  stageId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  error: Type.Optional(
    Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
  ),
});

const SystemSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  keys: Type.Array(
    Type.Object({
      id: Uuid,
      prefix: Type.String(),
      createdAt: Type.String(),
      revokedAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const intakeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = { cases: app.cases, lifecycle: app.lifecycle };

  app.get(
    '/api/intake-systems',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ADMIN_TAGS,
        summary: '本机关登记的外部办案系统及其接入密钥',
        response: { 200: Type.Object({ items: Type.Array(SystemSchema) }), ...errors(401, 403) },
      },
    },
    async (request) => ({ items: await listSystems(app.db, actorOf(request)) }),
  );

  app.post(
    '/api/intake-systems',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ADMIN_TAGS,
        summary: '登记外部办案系统（以该系统名义记录其报送的案件和办案环节）',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,39}$', description: '系统代码（路径中使用）' }),
            name: Type.String({ minLength: 1, maxLength: 100, description: '系统名称' }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
          ...stdErrors,
          ...errors(409),
        },
      },
    },
    async (request, reply) => {
      const s = await registerSystem(app.db, actorOf(request), request.body);
      return reply.status(201).send({ id: s.id, code: s.code, name: s.name });
    },
  );

  app.post(
    '/api/intake-systems/:id/keys',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ADMIN_TAGS,
        summary: '签发接入密钥（只显示这一次，系统只保存其摘要）',
        params: IdParams,
        response: {
          201: Type.Object({ id: Uuid, key: Type.String(), prefix: Type.String(), createdAt: Type.String() }),
          ...stdErrors,
          ...errors(404),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await issueKey(app.db, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/intake-systems/:id/keys/:keyId/revoke',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ADMIN_TAGS,
        summary: '吊销接入密钥（立即失效）',
        params: Type.Object({ id: Uuid, keyId: Uuid }),
        response: { 204: Type.Null(), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      await revokeKey(app.db, actorOf(request), request.params.id, request.params.keyId, app.clock.now());
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/intake/:system/cases/:externalId',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary: '报送案件（新建或更新送审材料；同一内容重复报送不产生变化）。以接入密钥认证',
        security: SECURITY,
        params: Params,
        body: Type.Object({
          packet: PacketSchema,
          facts: SubmittedFactsSchema,
          requestReview: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({ caseId: Uuid, created: Type.Boolean(), updated: Type.Boolean() }),
          201: Type.Object({ caseId: Uuid, created: Type.Boolean(), updated: Type.Boolean() }),
          ...stdErrors,
          ...errors(404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const caller = await intakeCaller(app.db, request, request.params.system);
      const r = await putCase(ctx, caller, request.params.externalId, request.body);
      return reply.status(r.created ? 201 : 200).send(r);
    },
  );

  app.post(
    '/api/intake/:system/cases/:externalId/events',
    {
      config: { access: 'public' },
      schema: {
        tags: TAGS,
        summary:
          '报送办案环节事件（单个或批量）：同一 eventId 只记录一次；前置环节尚未收到的事件答 409 PREREQUISITE_MISSING 并指明所缺环节，请发送方重发',
        security: SECURITY,
        params: Params,
        body: EventBody,
        response: {
          200: Type.Union([
            Outcome,
            Type.Object({
              results: Type.Array(Outcome),
              recorded: Type.Integer(),
              duplicates: Type.Integer(),
              rejected: Type.Integer(),
            }),
          ]),
          201: Outcome,
          ...stdErrors,
          ...errors(404, 409),
        },
      },
    },
    async (request, reply) => {
      const caller = await intakeCaller(app.db, request, request.params.system);
      const { externalId } = request.params;
      if (request.body.events) return reply.send(await receiveBatch(ctx, caller, externalId, request.body.events));
      const r = await receiveEvent(ctx, caller, externalId, request.body);
      return reply.status(r.status === 'recorded' ? 201 : 200).send(r);
    },
  );
};
