import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importScheduleFile } from '../server/calendar/import-file.js';
import { listCalendarYears } from '../server/calendar/queries.js';
import { CalendarService } from '../server/calendar/service.js';
import type { Database } from '../server/database/connect.js';
import { AppError } from '../server/http/errors.js';
import { chineseDaysSchedules } from '../server/workdays/chinese-days.js';
import { addWorkingDays } from '../server/workdays/deadlines.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase(4);
  db = database.handle.db;
});
afterAll(() => database.drop());

const national2027 = {
  holidays: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ date: `2027-10-0${d}`, name: '国庆节' })),
  makeupWorkdays: [{ date: '2027-09-26', name: '国庆节' }],
};

describe('the calendar migration', () => {
  it('loaded every year chinese-days knows, with names', async () => {
    const rows = await listCalendarYears(db);
    const known = chineseDaysSchedules();
    expect(rows.map((r) => r.year)).toEqual(known.map((s) => s.year));
    expect(rows[0].year).toBe(2004);
    const y2026 = rows.find((r) => r.year === 2026)!;
    expect(y2026.source).toBe('chinese-days');
    expect(y2026.holidays).toContainEqual({ date: '2026-10-01', name: '国庆节' });
    expect(y2026.makeup_workdays.map((m) => m.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});

describe('CalendarService', () => {
  it('computes from the table what the package says', async () => {
    const service = new CalendarService();
    const calendar = await service.loadCalendar(db);
    expect(addWorkingDays(calendar, '2026-09-30', 5).due).toBe('2026-10-13');
    expect(service.yearView(2040)).toMatchObject({ provisional: true, holidays: [], source: null });
  });

  it('stores a new year, refreshes the cache and tells the listeners', async () => {
    const service = new CalendarService();
    await service.loadCalendar(db);
    const heard: number[] = [];
    service.onYearLoaded(async (year) => {
      heard.push(year);
    });
    expect(addWorkingDays(service.current, '2027-09-30', 1)).toMatchObject({ due: '2027-10-01', provisional: true });

    const view = await service.putYear(db, 2027, national2027, null);

    expect(view).toMatchObject({ year: 2027, source: 'manual', provisional: false });
    expect(view.holidays[0]).toEqual({ date: '2027-10-01', name: '国庆节' });
    expect(addWorkingDays(service.current, '2027-09-30', 1)).toMatchObject({ due: '2027-10-08', provisional: false });
    expect(heard).toEqual([2027]);
  });

  it('replaces the whole year on a second put', async () => {
    const service = new CalendarService();
    await service.putYear(db, 2028, { holidays: [{ date: '2028-01-03', name: '元旦' }], makeupWorkdays: [] }, null);
    await service.putYear(db, 2028, { holidays: [{ date: '2028-01-04', name: '元旦' }], makeupWorkdays: [] }, null);
    expect(service.yearView(2028).holidays).toEqual([{ date: '2028-01-04', name: '元旦' }]);
  });

  it('refuses an invalid schedule with every problem and leaves the year as it was', async () => {
    const service = new CalendarService();
    await service.loadCalendar(db);
    const before = service.yearView(2026);
    const err = await service
      .putYear(
        db,
        2026,
        { holidays: [{ date: '2027-01-01', name: '元旦' }], makeupWorkdays: [{ date: '2026-10-09', name: '国庆节' }] },
        null,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(err.details.problems).toHaveLength(2);
    await service.loadCalendar(db);
    expect(service.yearView(2026)).toEqual(before);
  });

  it("notices another process's put when it next rechecks", async () => {
    let now = 0;
    const reader = new CalendarService({ recheckMs: 1000, now: () => now });
    await reader.loadCalendar(db);
    await new CalendarService().putYear(
      db,
      2029,
      { holidays: [{ date: '2029-01-01', name: '元旦' }], makeupWorkdays: [] },
      null,
    );
    expect((await reader.calendarFor(db)).isLoaded(2029)).toBe(false);
    now = 1000;
    expect((await reader.calendarFor(db)).isLoaded(2029)).toBe(true);
  });

  it('saves the year even when a listener fails, and reports the failure', async () => {
    const failures: unknown[] = [];
    const service = new CalendarService({ onListenerError: (err) => failures.push(err) });
    service.onYearLoaded(() => {
      throw new Error('recompute failed');
    });
    await service.putYear(db, 2030, { holidays: [], makeupWorkdays: [] }, null);
    expect(failures).toHaveLength(1);
    const strict = new CalendarService();
    strict.onYearLoaded(() => Promise.reject(new Error('recompute failed')));
    await expect(strict.putYear(db, 2031, { holidays: [], makeupWorkdays: [] }, null)).rejects.toBeInstanceOf(
      AggregateError,
    );
    expect(strict.yearView(2031).provisional).toBe(false);
  });
});

describe('the missing-year warning', () => {
  it('appears from 1 December (Shanghai time) while next year is missing', async () => {
    const service = new CalendarService();
    await service.putYear(db, 2031, { holidays: [], makeupWorkdays: [] }, null);
    expect(service.missingNextYearWarning(new Date('2031-11-30T15:59:59Z'))).toBeNull();
    expect(service.missingNextYearWarning(new Date('2031-11-30T16:00:00Z'))).toMatch(/^2032 年的节假日安排尚未载入/);
    expect(service.missingNextYearWarning(new Date('2033-03-01T00:00:00Z'))).toMatch(/^2033 年/);
  });

  it('is gone once next year is loaded', async () => {
    const service = new CalendarService();
    await service.loadCalendar(db);
    await service.putYear(db, 2040, { holidays: [], makeupWorkdays: [] }, null);
    expect(service.missingNextYearWarning(new Date('2040-12-15T00:00:00Z'))).toMatch(/^2041 年/);
    await service.putYear(db, 2041, { holidays: [{ date: '2041-01-01', name: '元旦' }], makeupWorkdays: [] }, null);
    expect(service.missingNextYearWarning(new Date('2040-12-15T00:00:00Z'))).toBeNull();
  });
});

describe('importScheduleFile (fashen calendar load)', () => {
  it('loads CSV and JSON files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fashen-cal-'));
    const csv = path.join(dir, '2034.csv');
    await writeFile(csv, 'type,date_or_range,name\nholiday,2034-10-01~2034-10-07,国庆节\nworkday,2034-09-30,国庆节\n');
    const service = new CalendarService();
    expect((await importScheduleFile(db, service, 2034, csv)).holidays).toHaveLength(7);

    const json = path.join(dir, '2035.json');
    await writeFile(
      json,
      JSON.stringify({ year: 2035, holidays: [{ date: '2035-01-01', name: '元旦' }], makeupWorkdays: [] }),
    );
    expect((await importScheduleFile(db, service, 2035, json)).holidays).toEqual([
      { date: '2035-01-01', name: '元旦' },
    ]);
    await expect(importScheduleFile(db, service, 2036, json)).rejects.toMatchObject({ statusCode: 400 });
    await expect(importScheduleFile(db, service, 2035, json, 'nobody')).rejects.toMatchObject({ statusCode: 400 });
  });
});
