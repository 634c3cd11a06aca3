import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deadlineState, dueSoonBoundary } from '../engine/deadlines.js';
import * as reads from '../engine/reads.js';
import { errors, IdParams, IsoDateTime, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import { claimTask, completeTask } from './actions.js';
import { CommandResultSchema, DeadlineStateSchema, iso, TaskSchema } from './schemas.js';
import { taskViewer } from './viewer.js';

type TaskRow = Awaited<ReturnType<typeof reads.listTasks>>[number];

function toTask(t: TaskRow, calendar: WorkingCalendar, now: Date) {
  const light = deadlineState(calendar, t, now);
  return {
    id: t.id,
    instanceId: t.instance_id,
    departmentId: t.department_id,
    departmentCode: t.department_code,
    processKey: t.process_key,
    definitionVersion: t.definition_version,
    businessKey: t.business_key,
    elementId: t.element_id,
    name: t.name,
    role: t.role,
    assigneeId: t.assignee_id,
    status: t.status,
    dueAt: iso(t.due_at),
    createdAt: t.created_at.toISOString(),
    endedAt: iso(t.ended_at),
    form: (t.form as unknown[] | null) ?? [],
    deadlineState: light.state,
    remainingWorkingDays: light.remainingWorkingDays,
    dueProvisional: t.due_provisional,
    pausedAt: iso(t.paused_at),
    escalatedTo: t.escalated_to,
    remindedAt: iso(t.reminded_at),
  };
}

export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/tasks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['任务'],
        summary: '我的待办：按角色、机关、签收人筛选，按期限排序',
        querystring: Type.Object({
          status: Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('cancelled')], {
            default: 'open',
          }),
          scope: Type.Union([Type.Literal('all'), Type.Literal('mine'), Type.Literal('available')], { default: 'all' }),
          role: Type.Optional(Type.String()),
          instanceId: Type.Optional(Type.String({ format: 'uuid' })),
          dueBefore: Type.Optional(IsoDateTime),
          deadlineState: Type.Optional(DeadlineStateSchema),
          sort: Type.Union([Type.Literal('due_at'), Type.Literal('created_at')], { default: 'due_at' }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(TaskSchema) }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const qs = request.query;
      const now = app.clock.now();
      const calendar = await app.calendar.calendarFor(app.db);
      const rows = await reads.listTasks(app.db, taskViewer(actorOf(request)), {
        ...qs,
        dueBefore: qs.dueBefore ? new Date(qs.dueBefore) : undefined,
        deadline: qs.deadlineState ? { state: qs.deadlineState, now, soon: dueSoonBoundary(calendar, now) } : undefined,
      });
      return { items: rows.map((r) => toTask(r, calendar, now)) };
    },
  );

  app.post(
    '/api/tasks/:id/claim',
    {
      config: { access: ['officer', 'reviewer', 'chief', 'legal_admin'] },
      schema: {
        tags: ['任务'],
        summary: '签收任务',
        params: IdParams,
        response: {
          200: Type.Object({ id: Type.String(), assigneeId: Type.String() }),
          ...stdErrors,
          ...errors(404, 409),
        },
      },
    },
    async (request) => claimTask(app.tasks, actorOf(request), request.params.id),
  );

  app.post(
    '/api/tasks/:id/complete',
    {
      config: { access: ['officer', 'reviewer', 'chief', 'legal_admin'], idempotent: true },
      schema: {
        tags: ['任务'],
        summary: '办结任务：提交表单，流程继续执行',
        params: IdParams,
        body: Type.Record(Type.String(), Type.Unknown(), { maxProperties: 200 }),
        response: { 200: CommandResultSchema, ...stdErrors, ...errors(404, 409, 422) },
      },
    },
    async (request) => completeTask(app.tasks, actorOf(request), request.params.id, request.body),
  );
};
