import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as clock from '../engine/task-clock.js';
import { errors, IdParams, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { decideExtension, requestExtension, setTaskClock } from './deadlines.js';
import { iso } from './schemas.js';

const Extension = Type.Object({
  id: Uuid,
  taskId: Uuid,
  workingDays: Type.Integer(),
  reason: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  requestedBy: Uuid,
  requestedAt: IsoDateTime,
  decidedBy: Type.Union([Uuid, Type.Null()]),
  decidedAt: Type.Union([IsoDateTime, Type.Null()]),
  decisionNote: Type.Union([Type.String(), Type.Null()]),
});

type ExtensionRow = Awaited<ReturnType<typeof clock.listExtensions>>[number];
const toExtension = (e: ExtensionRow) => ({
  id: e.id,
  taskId: e.task_id,
  workingDays: e.working_days,
  reason: e.reason,
  status: e.status,
  requestedBy: e.requested_by,
  requestedAt: e.requested_at.toISOString(),
  decidedBy: e.decided_by,
  decidedAt: iso(e.decided_at),
  decisionNote: e.decision_note,
});

const workers = ['officer', 'reviewer', 'chief', 'legal_admin'] as const;

export const deadlineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/tasks/:id/extensions',
    {
      config: { access: workers },
      schema: {
        tags: ['期限'],
        summary: '申请延期（按工作日）',
        params: IdParams,
        body: Type.Object({
          workingDays: Type.Integer({ minimum: 1, maximum: 60 }),
          reason: Type.String({ minLength: 1, maxLength: 2000 }),
        }),
        response: { 201: Extension, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const ext = await requestExtension(app.runtime, actorOf(request), request.params.id, request.body);
      return reply.status(201).send(toExtension(ext));
    },
  );

  app.get(
    '/api/tasks/:id/extensions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['期限'],
        summary: '任务的延期申请记录',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Extension) }), ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await clock.listExtensions(app.db, request.params.id);
      const visible = rows.filter(
        (r) =>
          r.department_id === actor.departmentId || actor.roles.includes('supervisor') || actor.roles.includes('admin'),
      );
      return { items: visible.map(toExtension) };
    },
  );

  app.post(
    '/api/extensions/:id/decision',
    {
      config: { access: ['chief', 'legal_admin'] },
      schema: {
        tags: ['期限'],
        summary: '审批延期申请：批准后重新计算期限',
        params: IdParams,
        body: Type.Object({ approved: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
            dueAt: Type.Union([IsoDateTime, Type.Null()]),
          }),
          ...stdErrors,
          ...errors(404, 409),
        },
      },
    },
    async (request) => {
      const r = await decideExtension(app.runtime, actorOf(request), request.params.id, request.body);
      return { status: r.status, dueAt: iso(r.dueAt) };
    },
  );

  app.post(
    '/api/tasks/:id/clock',
    {
      config: { access: ['reviewer', 'legal_admin', 'chief'] },
      schema: {
        tags: ['期限'],
        summary: '暂停或恢复任务期限计算（如退回补正期间），保留剩余工作日',
        params: IdParams,
        body: Type.Object({
          action: Type.Union([Type.Literal('pause'), Type.Literal('resume')]),
          reason: Type.String({ minLength: 1, maxLength: 2000 }),
        }),
        response: {
          200: Type.Object({
            paused: Type.Boolean(),
            dueAt: Type.Union([IsoDateTime, Type.Null()]),
            remainingAtPause: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...stdErrors,
          ...errors(404, 409),
        },
      },
    },
    async (request) => {
      const r = await setTaskClock(
        app.runtime,
        actorOf(request),
        request.params.id,
        request.body.action,
        request.body.reason,
      );
      return { ...r, dueAt: iso(r.dueAt) };
    },
  );
};
