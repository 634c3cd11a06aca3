import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar.js';
import { chineseDaysSchedules } from './chinese-days.js';
import {
  addCalendarDays,
  addWorkingDays,
  computeDeadline,
  dayKind,
  isWorkingDay,
  remainingWorkingDays,
  workingDaysBetween,
} from './deadlines.js';

// The State Council notices 2004–2026 as chinese-days records them; 2027 is not yet published.
const calendar = new WorkingCalendar(chineseDaysSchedules());
const dates = (skipped: readonly { date: string }[]) => skipped.map((s) => s.date);

describe('2026 Mid-Autumn (9/25–27) and National Day (10/1–7, make-up 9/20 Sun and 10/10 Sat)', () => {
  it('counts 5 working days from 2026-09-30 to Tuesday 2026-10-13', () => {
    // 10/8 Thu (1), 10/9 Fri (2), 10/10 Sat make-up (3), 10/12 Mon (4), 10/13 Tue (5).
    const d = addWorkingDays(calendar, '2026-09-30', 5);
    expect(d.due).toBe('2026-10-13');
    expect(d.dueAt.toISOString()).toBe('2026-10-13T15:59:59.000Z');
    expect(d.provisional).toBe(false);
    expect(d.skipped).toEqual([
      ...['01', '02', '03', '04', '05', '06', '07'].map((dd) => ({
        date: `2026-10-${dd}`,
        reason: 'holiday',
        name: '国庆节',
      })),
      { date: '2026-10-11', reason: 'weekend' },
    ]);
  });

  it('passes over the Mid-Autumn weekend', () => {
    const d = addWorkingDays(calendar, '2026-09-24', 1);
    expect(d.due).toBe('2026-09-28');
    expect(d.skipped.map((s) => [s.date, s.reason, s.name])).toEqual([
      ['2026-09-25', 'holiday', '中秋'],
      ['2026-09-26', 'holiday', '中秋'],
      ['2026-09-27', 'holiday', '中秋'],
    ]);
  });

  it('counts the make-up Sunday 2026-09-20 as a working day', () => {
    expect(addWorkingDays(calendar, '2026-09-18', 1).due).toBe('2026-09-20');
    expect(dayKind(calendar, '2026-09-20')).toBe('makeup_workday');
  });
});

describe('2025 National Day with Mid-Autumn (10/1–8, make-up 9/28 Sun and 10/11 Sat)', () => {
  it('counts 3 working days from 2025-09-30 to the make-up Saturday 2025-10-11', () => {
    const d = addWorkingDays(calendar, '2025-09-30', 3);
    expect(d.due).toBe('2025-10-11');
    expect(dates(d.skipped)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `2025-10-0${n}`));
    expect(d.skipped.find((s) => s.date === '2025-10-06')?.name).toBe('中秋');
  });

  it('counts the make-up Sunday 2025-09-28', () => {
    expect(addWorkingDays(calendar, '2025-09-26', 1).due).toBe('2025-09-28');
  });
});

describe('Spring Festival', () => {
  it('2026 (2/15–23, make-up Saturdays 2/14 and 2/28)', () => {
    expect(addWorkingDays(calendar, '2026-02-13', 1).due).toBe('2026-02-14');
    const d = addWorkingDays(calendar, '2026-02-13', 2);
    expect(d.due).toBe('2026-02-24');
    expect(d.skipped).toHaveLength(9);
    expect(d.skipped.every((s) => s.reason === 'holiday' && s.name === '春节')).toBe(true);
    expect(addWorkingDays(calendar, '2026-02-24', 4).due).toBe('2026-02-28');
  });

  it('2025 (1/28–2/4, make-up Sunday 1/26 and Saturday 2/8)', () => {
    const first = addWorkingDays(calendar, '2025-01-24', 1);
    expect(first.due).toBe('2025-01-26');
    expect(first.skipped).toEqual([{ date: '2025-01-25', reason: 'weekend' }]);
    expect(addWorkingDays(calendar, '2025-01-24', 3).due).toBe('2025-02-05');
    expect(workingDaysBetween(calendar, '2025-01-24', '2025-02-08')).toBe(6);
    expect(workingDaysBetween(calendar, '2025-02-08', '2025-01-24')).toBe(-6);
  });
});

describe('years without a schedule', () => {
  it('counts an unpublished year Monday–Friday and marks the deadline provisional', () => {
    const d = addWorkingDays(calendar, '2026-12-25', 10);
    expect(d.due).toBe('2027-01-08');
    expect(d.provisional).toBe(true);
    expect(addWorkingDays(calendar, '2026-12-18', 5).provisional).toBe(false);
  });

  it('changes the result once the year is loaded', () => {
    const withNotice = new WorkingCalendar([
      ...chineseDaysSchedules(),
      { year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], makeupWorkdays: [] },
    ]);
    const d = addWorkingDays(withNotice, '2026-12-25', 10);
    expect(d.due).toBe('2027-01-11');
    expect(d.provisional).toBe(false);
  });

  it('only looks at the days after the event: from 2003-12-31 into 2004 is settled', () => {
    expect(addWorkingDays(calendar, '2003-12-30', 1)).toMatchObject({ due: '2003-12-31', provisional: true });
    expect(addWorkingDays(calendar, '2003-12-31', 1)).toMatchObject({ due: '2004-01-02', provisional: false });
  });

  it('reaches far-off years by growing the index', () => {
    expect(addWorkingDays(calendar, '2150-01-01', 3)).toMatchObject({ due: '2150-01-06', provisional: true });
    expect(workingDaysBetween(calendar, '2199-12-24', '2199-12-31')).toBe(5);
  });
});

describe('calendar-day rule', () => {
  it('keeps a rest-day due unless told to roll forward', () => {
    expect(addCalendarDays(calendar, '2026-09-24', 7)).toMatchObject({
      due: '2026-10-01',
      provisional: false,
      skipped: [],
    });
    const rolled = computeDeadline(calendar, '2026-09-24', 7, { unit: 'calendar_days', rollForward: true });
    expect(rolled.due).toBe('2026-10-08');
    expect(dates(rolled.skipped)).toEqual(['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d}`));
  });

  it('does not move a working-day due and flags an unloaded year only when rolling', () => {
    expect(addCalendarDays(calendar, '2026-09-23', 7, true)).toMatchObject({ due: '2026-09-30', skipped: [] });
    expect(addCalendarDays(calendar, '2026-12-25', 7).provisional).toBe(false);
    expect(addCalendarDays(calendar, '2026-12-25', 7, true)).toMatchObject({ due: '2027-01-01', provisional: true });
  });

  it('counts working days when the rule says so', () => {
    expect(computeDeadline(calendar, '2026-09-30', 5, { unit: 'working_days' }).due).toBe('2026-10-13');
  });
});

describe('remaining working days for task lists', () => {
  const dueAt = addWorkingDays(calendar, '2026-09-30', 5).dueAt; // 2026-10-13
  const at = (local: string) => new Date(`${local}+08:00`);

  it('is 0 on the due day and counts the working days still ahead before it', () => {
    expect(remainingWorkingDays(calendar, at('2026-10-13T09:00:00'), dueAt)).toBe(0);
    expect(remainingWorkingDays(calendar, at('2026-10-12T23:30:00'), dueAt)).toBe(1);
    expect(remainingWorkingDays(calendar, at('2026-10-10T10:00:00'), dueAt)).toBe(2);
    expect(remainingWorkingDays(calendar, at('2026-09-30T10:00:00'), dueAt)).toBe(5);
  });

  it('is negative once the due day has passed in Shanghai, even over a weekend', () => {
    expect(remainingWorkingDays(calendar, new Date('2026-10-13T16:00:00Z'), dueAt)).toBe(-1);
    const friday = addWorkingDays(calendar, '2026-10-15', 1).dueAt; // 2026-10-16
    expect(remainingWorkingDays(calendar, at('2026-10-17T10:00:00'), friday)).toBe(-1);
    expect(remainingWorkingDays(calendar, at('2026-10-19T10:00:00'), friday)).toBe(-1);
    expect(remainingWorkingDays(calendar, at('2026-10-20T10:00:00'), friday)).toBe(-2);
  });
});

describe('day kinds and bad input', () => {
  it('tells working days from rest days', () => {
    expect(isWorkingDay(calendar, '2026-10-10')).toBe(true);
    expect(isWorkingDay(calendar, '2026-10-01')).toBe(false);
    expect(dayKind(calendar, '2026-10-11')).toBe('weekend');
    expect(dayKind(calendar, '2026-10-12')).toBe('workday');
    expect(dayKind(calendar, '2026-10-01')).toBe('holiday');
  });

  it('refuses impossible dates and counts', () => {
    expect(() => addWorkingDays(calendar, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(calendar, '2026-09-30', 0)).toThrow(RangeError);
    expect(() => addWorkingDays(calendar, '2026-09-30', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(calendar, '2199-12-30', 10)).toThrow(RangeError);
  });
});
