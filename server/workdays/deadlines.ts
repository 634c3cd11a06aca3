import {
  type CalendarIndex,
  type DayKind,
  isWorkingCode,
  KIND_CODES,
  type SkippedDay,
  type WorkingCalendar,
} from './calendar.js';
import { dayNumber, endOfShanghaiDay, instantToShanghaiDay } from './days.js';

/** A computed time limit. */
export interface Deadline {
  /** The last civil day (Asia/Shanghai) on which the act is in time. */
  due: string;
  /** 23:59:59 +08:00 on `due`. */
  dueAt: Date;
  /** True when a year the result depends on has no loaded schedule (counted Monday–Friday). */
  provisional: boolean;
  /** Non-working days passed over, in date order. */
  skipped: readonly SkippedDay[];
}

/**
 * How a department counts "N日". `working_days`: the N-th working day after the event's day.
 * `calendar_days`: the N-th calendar day after it, kept even if it is a rest day unless `rollForward`,
 * which moves a rest-day due to the next working day (cf. 《行政处罚法》期限届满日为节假日的顺延).
 */
export interface DeadlineRule {
  unit: 'working_days' | 'calendar_days';
  rollForward?: boolean;
}

const MAX_COUNT = 3660;

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) {
    throw new RangeError(`期限天数必须是 1 到 ${MAX_COUNT} 之间的整数，收到 ${n}`);
  }
}

/** Non-working days among index days 0..i. */
function offThrough(ix: CalendarIndex, i: number): number {
  return i + 1 - ix.worked[i];
}

/** Whether any year of index days a..b (a <= b) has no schedule. */
function touchesUnloaded(ix: CalendarIndex, a: number, b: number): boolean {
  const first = ix.yearSlot[a];
  const before = first > 0 ? ix.unloadedThrough[first - 1] : 0;
  return ix.unloadedThrough[ix.yearSlot[b]] > before;
}

/**
 * The N-th working day after `fromDate`. The event's own day never counts, whether or not it is a
 * working day; `skipped` lists the rest days between it and the due day.
 */
export function addWorkingDays(calendar: WorkingCalendar, fromDate: string, n: number): Deadline {
  assertCount(n);
  let ix = calendar.index;
  let i = ix.positions.get(fromDate) ?? -1;
  if (i < 0 || ix.worked[i] + n > ix.workdayAt.length) {
    const day = dayNumber(fromDate);
    for (let horizon = 2 * n + 40; ; horizon += 366) {
      ix = calendar.indexCovering(day, day + horizon);
      i = day - ix.start;
      if (ix.worked[i] + n <= ix.workdayAt.length) break;
    }
  }
  const dueIx = ix.workdayAt[ix.worked[i] + n - 1];
  return {
    due: ix.dates[dueIx],
    dueAt: endOfShanghaiDay(ix.start + dueIx),
    provisional: touchesUnloaded(ix, i + 1, dueIx),
    skipped: ix.offDays.slice(offThrough(ix, i), offThrough(ix, dueIx)),
  };
}

/** The N-th calendar day after `fromDate`, optionally rolled forward to the next working day. */
export function addCalendarDays(calendar: WorkingCalendar, fromDate: string, n: number, rollForward = false): Deadline {
  assertCount(n);
  const dueDay = dayNumber(fromDate) + n;
  if (!rollForward) {
    // Nothing here depends on the schedules, so a later notice cannot change it: never provisional.
    const ix = calendar.indexCovering(dueDay, dueDay);
    return { due: ix.dates[dueDay - ix.start], dueAt: endOfShanghaiDay(dueDay), provisional: false, skipped: [] };
  }
  let ix = calendar.indexCovering(dueDay, dueDay + 40);
  let j = dueDay - ix.start;
  while (ix.worked[j] >= ix.workdayAt.length) {
    ix = calendar.indexCovering(dueDay, ix.start + ix.kinds.length + 366);
    j = dueDay - ix.start;
  }
  const next = isWorkingCode(ix.kinds[j]) ? j : ix.workdayAt[ix.worked[j]];
  return {
    due: ix.dates[next],
    dueAt: endOfShanghaiDay(ix.start + next),
    provisional: touchesUnloaded(ix, j, next),
    skipped: ix.offDays.slice(j > 0 ? offThrough(ix, j - 1) : 0, offThrough(ix, next)),
  };
}

/** A deadline counted as the department's rule says. */
export function computeDeadline(calendar: WorkingCalendar, fromDate: string, n: number, rule: DeadlineRule): Deadline {
  return rule.unit === 'working_days'
    ? addWorkingDays(calendar, fromDate, n)
    : addCalendarDays(calendar, fromDate, n, rule.rollForward === true);
}

function indexOfBoth(calendar: WorkingCalendar, a: string, b: string) {
  const dayA = dayNumber(a);
  const dayB = dayNumber(b);
  const ix = calendar.indexCovering(dayA, dayB);
  return { ix, i: dayA - ix.start, j: dayB - ix.start };
}

/** Working days in (fromDate, toDate]; negative (the count in (toDate, fromDate]) if toDate is earlier. */
export function workingDaysBetween(calendar: WorkingCalendar, fromDate: string, toDate: string): number {
  const { ix, i, j } = indexOfBoth(calendar, fromDate, toDate);
  return ix.worked[j] - ix.worked[i];
}

export function dayKind(calendar: WorkingCalendar, date: string): DayKind {
  const day = dayNumber(date);
  const ix = calendar.indexCovering(day, day);
  return KIND_CODES[ix.kinds[day - ix.start]];
}

export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  const day = dayNumber(date);
  const ix = calendar.indexCovering(day, day);
  return isWorkingCode(ix.kinds[day - ix.start]);
}

/**
 * Working days left for a task list: the working days in (today, due day], both as Shanghai civil
 * days. 0 on the due day itself (and on rest days just before it); once the due day has passed the
 * result is negative, at least -1 even over a weekend, so "overdue" never reads as "due today".
 */
export function remainingWorkingDays(calendar: WorkingCalendar, now: Date, dueAt: Date): number {
  const today = instantToShanghaiDay(now);
  const dueDay = instantToShanghaiDay(dueAt);
  const ix = calendar.indexCovering(today, dueDay);
  const count = ix.worked[dueDay - ix.start] - ix.worked[today - ix.start];
  return today > dueDay ? Math.min(count, -1) : count;
}
