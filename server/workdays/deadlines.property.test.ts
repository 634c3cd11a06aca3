import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar.js';
import { chineseDaysSchedules } from './chinese-days.js';
import { dayNumber, formatDay, isWeekend } from './days.js';
import {
  addCalendarDays,
  addWorkingDays,
  isWorkingDay,
  remainingWorkingDays,
  workingDaysBetween,
} from './deadlines.js';

const schedules = chineseDaysSchedules();
const calendar = new WorkingCalendar(schedules);
const firstDay = dayNumber(`${schedules[0].year}-01-01`);
const lastDay = dayNumber(`${schedules[schedules.length - 1].year}-12-31`);

const loadedDate = fc.integer({ min: firstDay, max: lastDay }).map(formatDay);
const count = fc.integer({ min: 1, max: 60 });

const holidays = new Set(schedules.flatMap((s) => s.holidays));
const makeup = new Set(schedules.flatMap((s) => s.makeupWorkdays));
/** Reference implementation: one day at a time. */
function naiveDue(from: string, n: number): string {
  let day = dayNumber(from);
  for (let left = n; left > 0; ) {
    day++;
    const date = formatDay(day);
    if (makeup.has(date) || (!holidays.has(date) && !isWeekend(day))) left--;
  }
  return formatDay(day);
}

describe('addWorkingDays over the loaded years (2004 on), N in 1..60', () => {
  it('lands on a working day', () => {
    fc.assert(
      fc.property(loadedDate, count, (from, n) => isWorkingDay(calendar, addWorkingDays(calendar, from, n).due)),
    );
  });

  it('leaves exactly N working days in (start, due], the last of them on the due day', () => {
    fc.assert(
      fc.property(loadedDate, count, (from, n) => {
        const { due } = addWorkingDays(calendar, from, n);
        const dayBefore = formatDay(dayNumber(due) - 1);
        expect(workingDaysBetween(calendar, from, due)).toBe(n);
        expect(workingDaysBetween(calendar, from, dayBefore)).toBe(n - 1);
      }),
    );
  });

  it('adds up: add(a + b) = add(add(a), b)', () => {
    fc.assert(
      fc.property(loadedDate, count, count, (from, a, b) => {
        const once = addWorkingDays(calendar, from, a + b).due;
        const twice = addWorkingDays(calendar, addWorkingDays(calendar, from, a).due, b).due;
        expect(once).toBe(twice);
      }),
    );
  });

  it('skips exactly the rest days in between, in order', () => {
    fc.assert(
      fc.property(loadedDate, count, (from, n) => {
        const { due, skipped } = addWorkingDays(calendar, from, n);
        expect(skipped.length + n).toBe(dayNumber(due) - dayNumber(from));
        for (const s of skipped) {
          expect(isWorkingDay(calendar, s.date)).toBe(false);
          expect(s.reason).toBe(holidays.has(s.date) ? 'holiday' : 'weekend');
        }
        expect([...skipped].map((s) => s.date).sort()).toEqual(skipped.map((s) => s.date));
      }),
    );
  });

  it('agrees with a day-by-day count and is settled inside the loaded years', () => {
    fc.assert(
      fc.property(loadedDate, count, (from, n) => {
        const d = addWorkingDays(calendar, from, n);
        expect(d.due).toBe(naiveDue(from, n));
        expect(d.provisional).toBe(d.due > `${schedules[schedules.length - 1].year}-12-31`);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves N working days for a task list at noon on the event day', () => {
    fc.assert(
      fc.property(loadedDate, count, (from, n) => {
        const { dueAt } = addWorkingDays(calendar, from, n);
        expect(remainingWorkingDays(calendar, new Date(`${from}T12:00:00+08:00`), dueAt)).toBe(n);
      }),
    );
  });
});

describe('calendar days rolled forward', () => {
  it('land on the first working day on or after the N-th calendar day', () => {
    fc.assert(
      fc.property(loadedDate, count, (from, n) => {
        const { due } = addCalendarDays(calendar, from, n, true);
        const plain = dayNumber(from) + n;
        expect(isWorkingDay(calendar, due)).toBe(true);
        expect(dayNumber(due)).toBeGreaterThanOrEqual(plain);
        expect(workingDaysBetween(calendar, formatDay(plain - 1), due)).toBe(1);
      }),
    );
  });
});
