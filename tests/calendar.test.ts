import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarPlugin, calendarRoutes } from '../server/calendar/routes.js';
import { createCalendarService } from '../server/calendar/service.js';
import { ErrorBody, registerErrorHandler } from '../server/http/errors.js';
import { accessPlugin } from '../server/identity/access.js';
import { systemClock } from '../server/infra/clock.js';
import { configPlugin, databasePlugin } from '../server/infra/plugins.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let app: FastifyInstance;
let officer: TestUser;
let legalAdmin: TestUser;

/**
 * The app itself once server/app.ts registers the calendar; until then the same plumbing (config,
 * database, error handler, access control) around the calendar plugin and routes, on the test database.
 */
async function calendarApp(test: TestApp): Promise<FastifyInstance> {
  if (test.app.hasRoute({ method: 'GET', url: '/api/calendar/workdays' })) return test.app;
  const standalone = Fastify({
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await standalone.register(configPlugin, { config: test.config, clock: systemClock });
  await standalone.register(databasePlugin, {
    handle: test.database.handle,
    closeOnExit: false,
  });
  await standalone.register(cookie);
  registerErrorHandler(standalone);
  standalone.addSchema(ErrorBody);
  await standalone.register(accessPlugin, { database: test.database.handle, sessionCacheSize: 0 });
  const calendar = createCalendarService();
  await calendar.loadCalendar(test.db);
  await standalone.register(calendarPlugin, { calendar });
  await standalone.register(calendarRoutes);
  await standalone.ready();
  return standalone;
}

beforeAll(async () => {
  t = await createTestApp();
  app = await calendarApp(t);
  const department = await t.newDepartment();
  officer = await t.newUser({ departmentId: department.id, roles: ['officer'] });
  legalAdmin = await t.newUser({ departmentId: department.id, roles: ['legal_admin'] });
});
afterAll(async () => {
  if (app !== t.app) await app.close();
  await t.close();
});

const get = (url: string, user: TestUser = officer) => app.inject({ method: 'GET', url, headers: t.as(user) });

describe('GET /api/calendar/workdays', () => {
  it('counts 5 working days from 2026-09-30 over National Day to 2026-10-13', async () => {
    const res = await get('/api/calendar/workdays?from=2026-09-30&days=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ due: '2026-10-13', dueAt: '2026-10-13T15:59:59.000Z', provisional: false });
    expect(body.skipped).toHaveLength(8);
    expect(body.skipped[0]).toEqual({ date: '2026-10-01', reason: 'holiday', name: '国庆节' });
  });

  it('counts calendar days and rolls a rest-day due forward when asked', async () => {
    const plain = await get('/api/calendar/workdays?from=2026-09-24&days=7&unit=calendar_days');
    expect(plain.json()).toMatchObject({ due: '2026-10-01', skipped: [] });
    const rolled = await get('/api/calendar/workdays?from=2026-09-24&days=7&unit=calendar_days&rollForward=true');
    expect(rolled.json().due).toBe('2026-10-08');
  });

  it('answers 400 for an impossible date or count, and 401 without a session', async () => {
    for (const query of ['from=2026-02-30&days=5', 'from=2026-09-30&days=0', 'from=2026-09-30']) {
      const res = await get(`/api/calendar/workdays?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const anonymous = await app.inject({ method: 'GET', url: '/api/calendar/workdays?from=2026-09-30&days=5' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('GET /api/calendar/:year', () => {
  it('shows a loaded year with its holidays and make-up days', async () => {
    const res = await get('/api/calendar/2026');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, source: 'chinese-days', provisional: false });
    expect(body.holidays).toContainEqual({ date: '2026-09-25', name: '中秋' });
    expect(body.makeupWorkdays).toContainEqual({ date: '2026-10-10', name: '国庆节' });
  });

  it('shows a year without a notice as provisional with empty lists', async () => {
    const res = await get('/api/calendar/2045');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      year: 2045,
      source: null,
      holidays: [],
      makeupWorkdays: [],
      provisional: true,
      loadedAt: null,
      loadedBy: null,
    });
  });
});

describe('PUT /api/calendar/:year', () => {
  const schedule2027 = {
    holidays: [{ from: '2027-10-01', to: '2027-10-07', name: '国庆节' }],
    makeupWorkdays: [{ date: '2027-09-26', name: '国庆节' }],
  };

  it("lets the legal affairs admin load a year, which changes that year's deadlines", async () => {
    const before = (await get('/api/calendar/workdays?from=2027-09-30&days=1')).json();
    expect(before).toMatchObject({ due: '2027-10-01', provisional: true });

    const res = await app.inject({
      method: 'PUT',
      url: '/api/calendar/2027',
      headers: t.as(legalAdmin),
      payload: schedule2027,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ year: 2027, source: 'manual', provisional: false, loadedBy: legalAdmin.id });
    expect(res.json().holidays).toHaveLength(7);

    const after = (await get('/api/calendar/workdays?from=2027-09-30&days=1')).json();
    expect(after).toMatchObject({ due: '2027-10-08', provisional: false });
  });

  it('accepts a CSV body', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/calendar/2028',
      headers: { ...t.as(legalAdmin), 'content-type': 'text/csv' },
      payload:
        'type,date_or_range,name\nholiday,2028-01-01,元旦\nholiday,2028-10-01~2028-10-07,国庆节\nworkday,2028-10-08,国庆节\n',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().holidays).toHaveLength(8);
    expect(res.json().makeupWorkdays).toEqual([{ date: '2028-10-08', name: '国庆节' }]);
  });

  it('refuses an officer with 403', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/calendar/2027',
      headers: t.as(officer),
      payload: schedule2027,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses a bad schedule with 400 listing the problems', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/calendar/2029',
      headers: t.as(legalAdmin),
      payload: {
        holidays: [
          { date: '2029-10-01', name: '国庆节' },
          { date: '2030-01-01', name: '元旦' },
        ],
        makeupWorkdays: [{ date: '2029-10-01', name: '国庆节' }],
      },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.problems).toEqual([
      '放假日 2030-01-01 不在 2029 年内',
      '调休上班日 2029-10-01 不是周六或周日',
      '2029-10-01 既是放假日又是调休上班日',
    ]);
    expect((await get('/api/calendar/2029')).json().provisional).toBe(true);
  });

  it('refuses a body whose year contradicts the path, and malformed CSV', async () => {
    const mismatch = await app.inject({
      method: 'PUT',
      url: '/api/calendar/2029',
      headers: t.as(legalAdmin),
      payload: { year: 2030, holidays: [], makeupWorkdays: [] },
    });
    expect(mismatch.statusCode).toBe(400);
    const csv = await app.inject({
      method: 'PUT',
      url: '/api/calendar/2029',
      headers: { ...t.as(legalAdmin), 'content-type': 'text/csv' },
      payload: 'rest,2029-10-01,国庆节',
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.details.problems[0]).toMatch(/^第 1 行/);
  });
});

describe('GET /api/calendar', () => {
  it('lists the loaded years, and shows the missing-year warning to administrators only', async () => {
    const res = await get('/api/calendar');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.years[0]).toMatchObject({ year: 2004, source: 'chinese-days' });
    expect(body.years.map((y: { year: number }) => y.year)).toContain(2027);
    expect(body.warning).toBeNull();
    const admin = (await get('/api/calendar', legalAdmin)).json();
    expect(admin.warning).toBe(app.calendar.missingNextYearWarning(new Date()));
  });
});
