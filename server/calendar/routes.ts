import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { Static } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { computeDeadline } from '../workdays/deadlines.js';
import {
  DeadlineSchema,
  ScheduleCsvSchema,
  ScheduleJsonSchema,
  WorkdaysQuery,
  YearListSchema,
  YearParams,
  YearViewSchema,
} from './schemas.js';
import { type CalendarService, type CalendarYearView, parseSchedule } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    calendar: CalendarService;
  }
}

/** The process's CalendarService (built and loaded by the assembly) for the routes and pages. */
export const calendarPlugin = fp<{ calendar: CalendarService }>(
  async (app, { calendar }) => {
    app.decorate('calendar', calendar);
  },
  { name: 'calendar', dependencies: ['database'] },
);

function yearJson(v: CalendarYearView) {
  return { ...v, loadedAt: v.loadedAt?.toISOString() ?? null };
}

/** Core RangeErrors (bad or out-of-range dates) are the caller's mistake. */
function asValidation<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw new AppError(400, 'VALIDATION_FAILED', err.message);
    throw err;
  }
}

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get(
    '/api/calendar',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['工作日历'],
        summary: '已载入节假日安排的年份',
        response: { 200: YearListSchema, ...errors(401) },
      },
    },
    async (request) => {
      await app.calendar.calendarFor(app.db);
      const actor = actorOf(request);
      const admin = actor.roles.includes('admin') || actor.roles.includes('legal_admin');
      return {
        years: app.calendar.listYears().map((y) => ({ ...y, loadedAt: y.loadedAt.toISOString() })),
        warning: admin ? app.calendar.missingNextYearWarning(app.clock.now()) : null,
      };
    },
  );

  app.get(
    '/api/calendar/workdays',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['工作日历'],
        summary: '计算期限届满日（事件当日不计入）',
        querystring: WorkdaysQuery,
        response: { 200: DeadlineSchema, ...stdErrors },
      },
    },
    async (request) => {
      const { from, days, unit, rollForward } = request.query;
      const calendar = await app.calendar.calendarFor(app.db);
      const deadline = asValidation(() => computeDeadline(calendar, from, days, { unit, rollForward }));
      return { ...deadline, dueAt: deadline.dueAt.toISOString(), skipped: [...deadline.skipped] };
    },
  );

  app.get(
    '/api/calendar/:year',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['工作日历'],
        summary: '某年的节假日与调休上班安排（未载入的年份为临时，列表为空）',
        params: YearParams,
        response: { 200: YearViewSchema, ...errors(400, 401) },
      },
    },
    async (request) => {
      await app.calendar.calendarFor(app.db);
      return yearJson(app.calendar.yearView(request.params.year));
    },
  );

  app.put(
    '/api/calendar/:year',
    {
      config: { access: ['legal_admin', 'admin'] },
      schema: {
        tags: ['工作日历'],
        summary: '载入或替换某年的节假日安排（JSON，或 text/csv 每行 type,date_or_range,name）',
        params: YearParams,
        body: {
          content: {
            'application/json': { schema: ScheduleJsonSchema },
            'text/csv': { schema: ScheduleCsvSchema },
            'text/plain': { schema: ScheduleCsvSchema },
          },
        },
        response: { 200: YearViewSchema, ...stdErrors },
      },
    },
    async (request) => {
      const { year } = request.params;
      const body = request.body as Static<typeof ScheduleJsonSchema> | string;
      if (typeof body !== 'string' && body.year !== undefined && body.year !== year) {
        throw new AppError(400, 'VALIDATION_FAILED', `请求体中的年份 ${body.year} 与路径中的 ${year} 不一致`);
      }
      const schedule = parseSchedule(body);
      return yearJson(await app.calendar.putYear(app.db, year, schedule, actorOf(request).id));
    },
  );
};
