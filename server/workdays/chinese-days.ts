import { createRequire } from 'node:module';
import type { YearSchedule } from './calendar.js';

type Dated = Record<string, string>;

/**
 * The schedules the chinese-days package records (the State Council notices from 2004 on), straight
 * from the package rather than the database: for benchmarks and tests. Production reads
 * `calendar_years`, which the calendar migration filled from the same data.
 */
export function chineseDaysSchedules(): YearSchedule[] {
  const data: { holidays: Dated; workdays: Dated } = createRequire(import.meta.url)(
    'chinese-days/dist/chinese-days.json',
  );
  const years = new Map<number, { year: number; holidays: string[]; makeupWorkdays: string[]; names: Dated }>();
  const yearOf = (date: string) => {
    const year = Number(date.slice(0, 4));
    const known = years.get(year);
    if (known) return known;
    const created = { year, holidays: [] as string[], makeupWorkdays: [] as string[], names: {} as Dated };
    years.set(year, created);
    return created;
  };
  for (const date of Object.keys(data.holidays).sort()) {
    const s = yearOf(date);
    s.holidays.push(date);
    s.names[date] = data.holidays[date].split(',')[1] ?? data.holidays[date];
  }
  for (const date of Object.keys(data.workdays).sort()) yearOf(date).makeupWorkdays.push(date);
  return [...years.values()].sort((a, b) => a.year - b.year);
}
