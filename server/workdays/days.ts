/**
 * Civil dates as day numbers. A civil date `YYYY-MM-DD` is identified by the number of days between
 * 1970-01-01 and it, computed in UTC so that the process time zone never enters the arithmetic.
 * Instants are turned into Asia/Shanghai civil dates with a fixed +08:00 offset: China has had no
 * daylight saving time since 1991, and the calendar only covers 1900–2199 for sanity.
 */

export const MS_PER_DAY = 86_400_000;
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a civil date, or undefined if the text is not a real date in 1900–2199. */
export function tryDayNumber(date: string): number | undefined {
  const m = DATE_PATTERN.exec(date);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const n = Date.UTC(year, month - 1, day) / MS_PER_DAY;
  // Date.UTC rolls 2026-02-30 over into March; a real date survives the round trip.
  return formatDay(n) === date ? n : undefined;
}

/** The day number of a civil date; throws RangeError (message in Chinese) for anything else. */
export function dayNumber(date: string): number {
  const n = tryDayNumber(date);
  if (n === undefined) throw new RangeError(`日期不合法: ${JSON.stringify(date)}（应为 YYYY-MM-DD）`);
  return n;
}

export function firstDayOfYear(year: number): number {
  return Date.UTC(year, 0, 1) / MS_PER_DAY;
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** The Asia/Shanghai civil day that an instant falls on. */
export function instantToShanghaiDay(instant: Date): number {
  return Math.floor((instant.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

/** The Asia/Shanghai civil date (`YYYY-MM-DD`) that an instant falls on, whatever the process TZ. */
export function instantToShanghaiDate(instant: Date): string {
  return formatDay(instantToShanghaiDay(instant));
}

/** 23:59:59 +08:00 on a civil day: the last second in which a deadline on that day is still met. */
export function endOfShanghaiDay(day: number): Date {
  return new Date((day + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS - 1000);
}
