import type { YearSchedule } from './calendar.js';
import { formatDay, isWeekend, tryDayNumber } from './days.js';

/** A dated entry of a year's schedule: a rest day or a make-up working day, with the holiday it serves. */
export interface DayEntry {
  date: string;
  name: string;
}

/** A year's schedule with every range expanded to single days. */
export interface ScheduleInput {
  holidays: DayEntry[];
  makeupWorkdays: DayEntry[];
}

/** One line of an uploaded schedule: a single `date` or an inclusive `from`..`to` range. */
export interface ScheduleJsonEntry {
  date?: string;
  from?: string;
  to?: string;
  name: string;
}

export interface ScheduleJson {
  holidays: ScheduleJsonEntry[];
  makeupWorkdays: ScheduleJsonEntry[];
}

/** An uploaded schedule that cannot be accepted; `problems` lists every reason, in Chinese. */
export class ScheduleError extends Error {
  constructor(readonly problems: string[]) {
    super(`日历数据不合法：${problems.slice(0, 3).join('；')}${problems.length > 3 ? ' 等' : ''}`);
    this.name = 'ScheduleError';
  }
}

const MAX_RANGE_DAYS = 31;

function expandRange(from: string, to: string, name: string, where: string, problems: string[]): DayEntry[] {
  const a = tryDayNumber(from);
  const b = tryDayNumber(to);
  if (a === undefined || b === undefined) {
    problems.push(`${where}: 日期区间不合法 ${from}~${to}`);
    return [];
  }
  if (b < a || b - a >= MAX_RANGE_DAYS) {
    problems.push(`${where}: 日期区间 ${from}~${to} 应为不超过 ${MAX_RANGE_DAYS} 天的正序区间`);
    return [];
  }
  const out: DayEntry[] = [];
  for (let d = a; d <= b; d++) out.push({ date: formatDay(d), name });
  return out;
}

function expandEntry(entry: ScheduleJsonEntry, where: string, problems: string[]): DayEntry[] {
  const name = entry.name?.trim() ?? '';
  if (!name) problems.push(`${where}: 缺少名称`);
  if (entry.date !== undefined && entry.from === undefined && entry.to === undefined) {
    return [{ date: entry.date, name }];
  }
  if (entry.date === undefined && entry.from !== undefined && entry.to !== undefined) {
    return expandRange(entry.from, entry.to, name, where, problems);
  }
  problems.push(`${where}: 应给出 date，或同时给出 from 和 to`);
  return [];
}

/** Expands the ranges of an uploaded JSON schedule; throws ScheduleError listing every bad entry. */
export function expandScheduleJson(json: ScheduleJson): ScheduleInput {
  const problems: string[] = [];
  const holidays = json.holidays.flatMap((e, k) => expandEntry(e, `holidays[${k}]`, problems));
  const makeupWorkdays = json.makeupWorkdays.flatMap((e, k) => expandEntry(e, `makeupWorkdays[${k}]`, problems));
  if (problems.length) throw new ScheduleError(problems);
  return { holidays, makeupWorkdays };
}

/**
 * Parses CSV lines `type,date_or_range,name` where type is `holiday` or `workday` (调休上班) and a
 * range is written `2027-10-01~2027-10-07`. Blank lines, `#` comments and a `type,…` header are skipped;
 * the name may itself contain commas.
 */
export function parseScheduleCsv(text: string): ScheduleInput {
  const problems: string[] = [];
  const out: ScheduleInput = { holidays: [], makeupWorkdays: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, k) => {
    const line = raw.trim();
    const where = `第 ${k + 1} 行`;
    if (!line || line.startsWith('#')) return;
    const [type = '', when = '', ...rest] = line.split(',').map((f) => f.trim());
    if (k === 0 && type.toLowerCase() === 'type') return;
    const kind = type.toLowerCase();
    const list = kind === 'holiday' ? out.holidays : kind === 'workday' ? out.makeupWorkdays : undefined;
    if (!list) {
      problems.push(`${where}: 类型应为 holiday 或 workday，收到 ${JSON.stringify(type)}`);
      return;
    }
    const [from, to, extra] = when.split('~').map((s) => s.trim());
    if (extra !== undefined) {
      problems.push(`${where}: 日期区间不合法 ${when}`);
      return;
    }
    const entry = to === undefined ? { date: from, name: rest.join(',') } : { from, to, name: rest.join(',') };
    list.push(...expandEntry(entry, where, problems));
  });
  if (problems.length) throw new ScheduleError(problems);
  return out;
}

/** Every reason why `schedule` cannot be `year`'s schedule; empty when it can. */
export function scheduleProblems(year: number, schedule: ScheduleInput): string[] {
  const problems: string[] = [];
  const check = (entries: DayEntry[], label: string) => {
    const seen = new Set<string>();
    for (const { date } of entries) {
      const day = tryDayNumber(date);
      if (day === undefined) problems.push(`${label} ${JSON.stringify(date)} 不是合法日期（应为 YYYY-MM-DD）`);
      else if (!date.startsWith(`${year}-`)) problems.push(`${label} ${date} 不在 ${year} 年内`);
      else if (seen.has(date)) problems.push(`${label} ${date} 重复`);
      else if (label === '调休上班日' && !isWeekend(day)) problems.push(`调休上班日 ${date} 不是周六或周日`);
      seen.add(date);
    }
    return seen;
  };
  const rest = check(schedule.holidays, '放假日');
  const worked = check(schedule.makeupWorkdays, '调休上班日');
  for (const date of worked) {
    if (rest.has(date)) problems.push(`${date} 既是放假日又是调休上班日`);
  }
  return problems;
}

/** Throws ScheduleError unless `schedule` is a valid schedule for `year`. */
export function assertValidSchedule(year: number, schedule: ScheduleInput): void {
  const problems = scheduleProblems(year, schedule);
  if (problems.length) throw new ScheduleError(problems);
}

/** The calendar core's view of a stored schedule. */
export function toYearSchedule(year: number, schedule: ScheduleInput): YearSchedule {
  const names: Record<string, string> = {};
  for (const h of schedule.holidays) names[h.date] = h.name;
  return {
    year,
    holidays: schedule.holidays.map((h) => h.date),
    makeupWorkdays: schedule.makeupWorkdays.map((m) => m.date),
    names,
  };
}

/** Sorted copies, so that a stored year reads in date order whatever order it was uploaded in. */
export function sortedSchedule(schedule: ScheduleInput): ScheduleInput {
  const byDate = (a: DayEntry, b: DayEntry) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  return { holidays: [...schedule.holidays].sort(byDate), makeupWorkdays: [...schedule.makeupWorkdays].sort(byDate) };
}
