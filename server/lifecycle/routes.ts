import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { saveAttachment } from '../cases/attachments.js';
import { recordSupervisorView, visibleCase } from '../cases/service.js';
import type { CaseRow } from '../cases/tables.js';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import type { Actor } from '../identity/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { eventProblem } from './event-check.js';
import { isRecording } from './kinds.js';
import * as q from './queries.js';
import { EventResult, LifecycleSchema, StageEvent } from './schemas.js';
import { recordStageEvent } from './service.js';
import { lifecycleView, missingRecordingsView } from './view.js';

const TAGS = ['办案环节'];
const Purpose = Type.Union([
  Type.Literal('recording'),
  Type.Literal('proof'),
  Type.Literal('document'),
  Type.Literal('other'),
]);

export const lifecycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** Each file of a multipart request, saved to the case's attachments as it arrives; a request without one is refused. */
  async function* savedUploads(request: FastifyRequest, c: CaseRow, actor: Actor) {
    if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
    const deps = { db: app.db, evidence: app.evidence, now: () => app.clock.now(), history: app.runtime.history };
    let received = 0;
    for await (const part of request.files({ limits: { fileSize: app.cases.attachmentMaxBytes } })) {
      received++;
      yield await saveAttachment(deps, c, actor, { stream: part.file, fileName: part.filename });
    }
    if (received === 0) throw new AppError(400, 'VALIDATION_FAILED', '没有收到文件');
  }

  app.get(
    '/api/lifecycle/missing-recordings',
    {
      config: { access: ['supervisor', 'admin', 'legal_admin', 'chief'] },
      schema: {
        tags: TAGS,
        summary: '缺少音像记录的环节（查封扣押、强制拆除必须；现场执法、调查取证、听证、留置送达、公告送达应当）',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                stageId: Uuid,
                caseId: Uuid,
                caseNumber: Type.String(),
                title: Type.String(),
                department: Type.String(),
                kind: Type.String(),
                label: Type.String(),
                startedOn: Type.String(),
                required: Type.Boolean(),
              }),
            ),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const all = actor.roles.includes('supervisor') || actor.roles.includes('admin');
      return { items: await missingRecordingsView(app.db, all ? undefined : actor.departmentId) };
    },
  );

  app.get(
    '/api/cases/:id/stages',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '案件的办案环节（立案至结案归档）、办案期限、提醒与缺失的音像记录',
        params: IdParams,
        response: { 200: LifecycleSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      await recordSupervisorView(app.cases, actor, c);
      return lifecycleView(app.db, c, app.clock.now());
    },
  );

  app.post(
    '/api/cases/:id/stages/events',
    {
      config: { access: ['officer', 'chief'] },
      // A refused event is answered by the handler, after the access check, naming the field of its own type.
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary:
          '记录一个办案环节事件（立案、调查取证、事先告知、陈述申辩、听证、送达、执行、延期、结案归档）；带 externalId 的同一事件只记录一次',
        params: IdParams,
        body: StageEvent,
        response: { 200: EventResult, 201: EventResult, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      if (request.validationError) {
        const problem = eventProblem(request.body);
        if (problem) throw new AppError(400, 'VALIDATION_FAILED', problem.message, { field: problem.field });
        throw request.validationError;
      }
      const result = await recordStageEvent(app.lifecycle, actorOf(request), request.params.id, request.body);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  // A file an event is to cite (the photos of a 留置送达 away from the party's 住所, a signed receipt), uploaded before
  // the event is recorded with its id in `attachmentIds`: the API's way to what the 送达 form does with its files.
  // After the decision the case's own upload route is closed (its files are the packet the review saw).
  app.post(
    '/api/cases/:id/stages/files',
    {
      config: { access: ['officer'] },
      schema: {
        tags: TAGS,
        summary:
          '上传待环节事件引用的文件（如在受送达人住所以外留置送达的照片、录像；记录事件时以 attachmentIds 关联；multipart/form-data）',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: {
          201: Type.Object({
            items: Type.Array(Type.Object({ id: Uuid, fileName: Type.String(), mediaType: Type.String() })),
          }),
          ...stdErrors,
          ...errors(404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能为本机关案件上传文件');
      if ((await q.findLifecycle(app.db, c.id))?.archived_on) {
        throw new AppError(409, 'CONFLICT', '案件已结案归档，不能再上传环节文件');
      }
      const items = [];
      for await (const saved of savedUploads(request, c, actor)) {
        items.push({ id: saved.id, fileName: saved.fileName, mediaType: saved.mediaType });
      }
      return reply.status(201).send({ items });
    },
  );

  app.post(
    '/api/cases/:id/stages/:stageId/files',
    {
      config: { access: ['officer'] },
      schema: {
        tags: TAGS,
        summary: '为环节上传并关联文件（音像记录、送达回证等；按文件内容识别类型；multipart/form-data）',
        consumes: ['multipart/form-data'],
        params: Type.Object({ id: Uuid, stageId: Uuid }),
        querystring: Type.Object({ purpose: Type.Optional(Purpose) }),
        response: {
          201: Type.Object({
            items: Type.Array(Type.Object({ attachmentId: Uuid, purpose: Purpose, mediaType: Type.String() })),
          }),
          ...stdErrors,
          ...errors(404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能为本机关案件上传文件');
      const stage = (await q.listStages(app.db, c.id)).find((s) => s.id === request.params.stageId);
      if (!stage) throw new AppError(404, 'STAGE_NOT_FOUND', '本案没有这个环节', { field: 'stageId' });
      const items = [];
      for await (const saved of savedUploads(request, c, actor)) {
        const purpose =
          request.query.purpose ??
          (isRecording(saved.mediaType) ? 'recording' : stage.kind === 'service' ? 'proof' : 'document');
        await recordStageEvent(app.lifecycle, actor, c.id, {
          type: 'files_linked',
          stageId: stage.id,
          date: instantToShanghaiDate(app.clock.now()),
          attachmentIds: [saved.id],
          purpose,
        });
        items.push({ attachmentId: saved.id, purpose, mediaType: saved.mediaType });
      }
      return reply.status(201).send({ items });
    },
  );
};
