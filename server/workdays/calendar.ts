import { dayNumber, firstDayOfYear, formatDay, isWeekend, MAX_YEAR, MIN_YEAR, yearOfDay } from './days.js';

/**
 * One year's schedule as the State Council's notice declares it: the rest days (放假, weekends inside a
 * holiday run included) and the weekend days that are worked instead (调休上班). Every date lies in
 * `year`. A year without a schedule counts Monday–Friday as working days and is "provisional".
 */
export interface YearSchedule {
  year: number;
  holidays: readonly string[];
  makeupWorkdays: readonly string[];
  /** Holiday name by date (e.g. 国庆节), used to explain skipped days. */
  names?: Readonly<Record<string, string>>;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

/** A non-working day that a deadline passed over, and why it is not worked. */
export interface SkippedDay {
  readonly date: string;
  readonly reason: 'holiday' | 'weekend';
  readonly name?: string;
}

export const KIND_CODES: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup_workday'];
const WORKDAY = 0;
const WEEKEND = 1;
const HOLIDAY = 2;
const MAKEUP = 3;

/**
 * The working-day index over whole years [firstYear, lastYear]. Day i of the index is civil day
 * `start + i`. `worked[i]` is the number of working days among days 0..i, so the working days in
 * (a, b] are `worked[b] - worked[a]`, and `workdayAt[k]` is the index of the (k+1)-th working day,
 * which makes "the N-th working day after a" one array read.
 */
export interface CalendarIndex {
  readonly firstYear: number;
  readonly lastYear: number;
  readonly start: number;
  readonly kinds: Uint8Array;
  readonly worked: Int32Array;
  readonly workdayAt: Int32Array;
  /** Non-working days in date order; the ones before index i number `i + 1 - worked[i]` (through i). */
  readonly offDays: readonly SkippedDay[];
  readonly dates: readonly string[];
  readonly positions: ReadonlyMap<string, number>;
  /** `year - firstYear` of each day. */
  readonly yearSlot: Uint16Array;
  /** Number of years without a schedule among firstYear..firstYear+slot. */
  readonly unloadedThrough: Int32Array;
}

export function isWorkingCode(code: number): boolean {
  return code === WORKDAY || code === MAKEUP;
}

function markYear(kinds: Uint8Array, start: number, schedule: YearSchedule): void {
  const first = firstDayOfYear(schedule.year) - start;
  const end = firstDayOfYear(schedule.year + 1) - start;
  const mark = (date: string, code: number) => {
    const i = dayNumber(date) - start;
    if (i < first || i >= end) throw new RangeError(`${date} 不在 ${schedule.year} 年内`);
    kinds[i] = code;
  };
  for (const date of schedule.holidays) mark(date, HOLIDAY);
  for (const date of schedule.makeupWorkdays) mark(date, MAKEUP);
}

export function buildIndex(
  schedules: ReadonlyMap<number, YearSchedule>,
  firstYear: number,
  lastYear: number,
): CalendarIndex {
  const start = firstDayOfYear(firstYear);
  const length = firstDayOfYear(lastYear + 1) - start;
  const kinds = new Uint8Array(length);
  const yearSlot = new Uint16Array(length);
  const unloadedThrough = new Int32Array(lastYear - firstYear + 1);
  let unloaded = 0;
  for (let year = firstYear; year <= lastYear; year++) {
    const end = firstDayOfYear(year + 1) - start;
    for (let i = firstDayOfYear(year) - start; i < end; i++) {
      kinds[i] = isWeekend(start + i) ? WEEKEND : WORKDAY;
      yearSlot[i] = year - firstYear;
    }
    const schedule = schedules.get(year);
    if (schedule) markYear(kinds, start, schedule);
    else unloaded++;
    unloadedThrough[year - firstYear] = unloaded;
  }

  const worked = new Int32Array(length);
  const workdays: number[] = [];
  const offDays: SkippedDay[] = [];
  const dates: string[] = new Array(length);
  const positions = new Map<string, number>();
  let count = 0;
  for (let i = 0; i < length; i++) {
    const date = formatDay(start + i);
    dates[i] = date;
    positions.set(date, i);
    const code = kinds[i];
    if (isWorkingCode(code)) {
      workdays.push(i);
      count++;
    } else if (code === HOLIDAY) {
      const name = schedules.get(firstYear + yearSlot[i])?.names?.[date];
      offDays.push(Object.freeze(name ? { date, reason: 'holiday', name } : { date, reason: 'holiday' }));
    } else {
      offDays.push(Object.freeze({ date, reason: 'weekend' }));
    }
    worked[i] = count;
  }
  const workdayAt = Int32Array.from(workdays);
  return { firstYear, lastYear, start, kinds, worked, workdayAt, offDays, dates, positions, yearSlot, unloadedThrough };
}

/**
 * The working-day calendar: the loaded schedules and an index over them that grows by whole years
 * when a computation reaches past it. Immutable as far as callers can tell; build a new one to change
 * the schedules.
 */
export class WorkingCalendar {
  private readonly schedules: ReadonlyMap<number, YearSchedule>;
  private current: CalendarIndex;

  constructor(schedules: Iterable<YearSchedule> = []) {
    const byYear = new Map<number, YearSchedule>();
    for (const s of schedules) {
      if (byYear.has(s.year)) throw new RangeError(`${s.year} 年的日历重复`);
      byYear.set(s.year, s);
    }
    this.schedules = byYear;
    const years = [...byYear.keys()];
    const lo = years.length ? Math.min(...years) : 2020;
    const hi = years.length ? Math.max(...years) : 2020;
    this.current = buildIndex(byYear, Math.max(MIN_YEAR, lo - 1), Math.min(MAX_YEAR, hi + 10));
  }

  /** The current index. Callers that need a day outside it use `indexCovering`. */
  get index(): CalendarIndex {
    return this.current;
  }

  get loadedYears(): number[] {
    return [...this.schedules.keys()].sort((a, b) => a - b);
  }

  schedule(year: number): YearSchedule | undefined {
    return this.schedules.get(year);
  }

  isLoaded(year: number): boolean {
    return this.schedules.has(year);
  }

  /** The index, rebuilt over more years if needed so that it covers civil days firstDay..lastDay. */
  indexCovering(firstDay: number, lastDay: number): CalendarIndex {
    const ix = this.current;
    const from = yearOfDay(Math.min(firstDay, lastDay));
    const to = yearOfDay(Math.max(firstDay, lastDay));
    if (from >= ix.firstYear && to <= ix.lastYear) return ix;
    if (from < MIN_YEAR || to > MAX_YEAR) {
      throw new RangeError(`日期超出日历支持的范围（${MIN_YEAR}–${MAX_YEAR} 年）`);
    }
    const firstYear = Math.min(ix.firstYear, from);
    const lastYear = Math.max(ix.lastYear, Math.min(MAX_YEAR, to + 5));
    this.current = buildIndex(this.schedules, firstYear, lastYear);
    return this.current;
  }
}
