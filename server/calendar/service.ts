import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { WorkingCalendar } from '../workdays/calendar.js';
import { instantToShanghaiDate, MAX_YEAR, MIN_YEAR } from '../workdays/days.js';
import {
  expandScheduleJson,
  parseScheduleCsv,
  ScheduleError,
  type ScheduleInput,
  type ScheduleJson,
  scheduleProblems,
  sortedSchedule,
  toYearSchedule,
} from '../workdays/schedule.js';
import * as q from './queries.js';
import type { CalendarSource, CalendarYearRow, StoredDayEntry } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A year as the API shows it; a year without a schedule is provisional with empty lists. */
export interface CalendarYearView {
  year: number;
  source: CalendarSource | null;
  holidays: StoredDayEntry[];
  makeupWorkdays: StoredDayEntry[];
  provisional: boolean;
  loadedAt: Date | null;
  loadedBy: string | null;
}

export interface LoadedYearSummary {
  year: number;
  source: CalendarSource;
  holidayCount: number;
  makeupWorkdayCount: number;
  loadedAt: Date;
  loadedBy: string | null;
}

export type YearLoadedListener = (year: number) => void | Promise<void>;

export interface CalendarServiceOptions {
  /** How long a process trusts its cached calendar before checking the table for another process's change. */
  recheckMs?: number;
  /** Milliseconds now; injectable for tests. */
  now?: () => number;
  /** Where a failing onYearLoaded listener is reported; by default the error is rethrown after all listeners ran. */
  onListenerError?: (err: unknown, year: number) => void;
}

/** What a year's schedule says (holidays and make-up days), to tell a changed schedule from a reload. */
const scheduleKey = (r: CalendarYearRow) => JSON.stringify([r.holidays, r.makeup_workdays]);

function invalid(problems: string[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', new ScheduleError(problems).message, { problems });
}

/** Expands an uploaded schedule (JSON object or CSV text); bad input becomes a 400 listing every problem. */
export function parseSchedule(body: ScheduleJson | string): ScheduleInput {
  try {
    return typeof body === 'string' ? parseScheduleCsv(body) : expandScheduleJson(body);
  } catch (err) {
    if (err instanceof ScheduleError) throw invalid(err.problems);
    throw err;
  }
}

/**
 * The working-day calendar of one app (or CLI run): the schedules in `calendar_years`, cached as a
 * WorkingCalendar. Create one per app; nothing is shared between instances.
 */
export class CalendarService {
  private calendar = new WorkingCalendar();
  private rows = new Map<number, CalendarYearRow>();
  private fingerprint: string | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<YearLoadedListener>();
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CalendarServiceOptions = {}) {
    this.recheckMs = options.recheckMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached calendar as last loaded (Monday–Friday everywhere before the first load). */
  get current(): WorkingCalendar {
    return this.calendar;
  }

  /** Reads every year from the table and rebuilds the cached calendar. */
  async loadCalendar(db: Db): Promise<WorkingCalendar> {
    const fingerprint = await q.calendarFingerprint(db);
    const rows = await q.listCalendarYears(db);
    this.calendar = new WorkingCalendar(
      rows.map((r) => toYearSchedule(r.year, { holidays: r.holidays, makeupWorkdays: r.makeup_workdays })),
    );
    this.rows = new Map(rows.map((r) => [r.year, r]));
    this.fingerprint = fingerprint;
    this.checkedAt = this.now();
    return this.calendar;
  }

  /** The cached calendar, reloaded first if another process changed the table since the last check. */
  async calendarFor(db: Db): Promise<WorkingCalendar> {
    if (this.now() - this.checkedAt >= this.recheckMs) {
      this.checkedAt = this.now();
      if ((await q.calendarFingerprint(db)) !== this.fingerprint) await this.loadCalendar(db);
    }
    return this.calendar;
  }

  /** The loaded years in order, with how many days each declares. */
  listYears(): LoadedYearSummary[] {
    return [...this.rows.values()]
      .sort((a, b) => a.year - b.year)
      .map((r) => ({
        year: r.year,
        source: r.source,
        holidayCount: r.holidays.length,
        makeupWorkdayCount: r.makeup_workdays.length,
        loadedAt: r.loaded_at,
        loadedBy: r.loaded_by,
      }));
  }

  yearView(year: number): CalendarYearView {
    const row = this.rows.get(year);
    if (!row) {
      return {
        year,
        source: null,
        holidays: [],
        makeupWorkdays: [],
        provisional: true,
        loadedAt: null,
        loadedBy: null,
      };
    }
    return {
      year,
      source: row.source,
      holidays: row.holidays,
      makeupWorkdays: row.makeup_workdays,
      provisional: false,
      loadedAt: row.loaded_at,
      loadedBy: row.loaded_by,
    };
  }

  /**
   * Validates and stores `year`'s schedule in place of any earlier one, refreshes the cache, then
   * tells the onYearLoaded listeners (so provisional deadlines can be recomputed).
   */
  async putYear(db: Db, year: number, schedule: ScheduleInput, actorId: string | null): Promise<CalendarYearView> {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
      throw invalid([`年份应在 ${MIN_YEAR} 到 ${MAX_YEAR} 之间`]);
    }
    const problems = scheduleProblems(year, schedule);
    if (problems.length) throw invalid(problems);
    const sorted = sortedSchedule(schedule);
    await q.upsertCalendarYear(db, {
      year,
      holidays: sorted.holidays,
      makeupWorkdays: sorted.makeupWorkdays,
      source: 'manual',
      loadedBy: actorId,
    });
    await this.loadCalendar(db);
    await this.notify(year);
    return this.yearView(year);
  }

  /**
   * A warning for administrators, in Chinese, when deadlines are being counted provisionally: the
   * current year has no schedule, or it is December (Shanghai time) and next year's is missing —
   * the State Council usually publishes the notice in November or December.
   */
  missingNextYearWarning(now: Date): string | null {
    const today = instantToShanghaiDate(now);
    const year = Number(today.slice(0, 4));
    const missing = [year, year + 1].filter((y) => !this.calendar.isLoaded(y));
    const late = missing.filter((y) => y === year || today.slice(5, 7) === '12');
    if (!late.length) return null;
    return (
      `${late.join('、')} 年的节假日安排尚未载入，涉及该年份的工作日期限暂按周一至周五计算（临时结果）。` +
      '国务院办公厅节假日安排通知发布后，请在“工作日历”中载入。'
    );
  }

  /**
   * For a process that never loads years itself (a worker): reloads the calendar when another process (the
   * service, the CLI) changed the table since the last look, and tells the listeners about each year whose
   * schedule is new or different. Returns those years.
   */
  async refresh(db: Db): Promise<number[]> {
    if ((await q.calendarFingerprint(db)) === this.fingerprint) return [];
    const before = new Map([...this.rows].map(([y, r]) => [y, scheduleKey(r)]));
    await this.loadCalendar(db);
    const changed = [...this.rows].filter(([y, r]) => before.get(y) !== scheduleKey(r)).map(([y]) => y);
    for (const year of changed) await this.notify(year);
    return changed;
  }

  /** Registers a listener called with the year after each successful putYear; returns an unsubscribe. */
  onYearLoaded(listener: YearLoadedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async notify(year: number): Promise<void> {
    const failures: unknown[] = [];
    for (const listener of this.listeners) {
      try {
        await listener(year);
      } catch (err) {
        if (this.options.onListenerError) this.options.onListenerError(err, year);
        else failures.push(err);
      }
    }
    if (failures.length) throw new AggregateError(failures, `${year} 年日历已保存，但有监听器执行失败`);
  }
}

export function createCalendarService(options?: CalendarServiceOptions): CalendarService {
  return new CalendarService(options);
}
