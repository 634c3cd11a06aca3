import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  endOfShanghaiDay,
  formatDay,
  instantToShanghaiDate,
  isWeekend,
  tryDayNumber,
  weekday,
} from './days.js';

describe('civil day numbers', () => {
  it('counts days from 1970-01-01 and formats them back', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-09-30')).toBe(20726);
    expect(formatDay(20726)).toBe('2026-09-30');
  });

  it('refuses text that is not a real date in 1900–2199', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-9-30', '20260930', '1899-12-31', '2200-01-01', '']) {
      expect(tryDayNumber(bad)).toBeUndefined();
    }
    expect(tryDayNumber('2024-02-29')).toBe(dayNumber('2024-02-29'));
    expect(() => dayNumber('2026-02-30')).toThrow(RangeError);
  });

  it('knows the weekday: 2026-10-10 is a Saturday and 2026-10-12 a Monday', () => {
    expect(weekday(dayNumber('2026-10-10'))).toBe(6);
    expect(isWeekend(dayNumber('2026-10-11'))).toBe(true);
    expect(weekday(dayNumber('2026-10-12'))).toBe(1);
    expect(weekday(dayNumber('1969-12-31'))).toBe(3);
  });
});

describe('Asia/Shanghai instants', () => {
  it('puts an instant on its +08:00 civil date, whatever UTC says', () => {
    expect(instantToShanghaiDate(new Date('2026-10-13T15:59:59.999Z'))).toBe('2026-10-13');
    expect(instantToShanghaiDate(new Date('2026-10-13T16:00:00Z'))).toBe('2026-10-14');
    expect(instantToShanghaiDate(new Date('2026-12-31T23:00:00-05:00'))).toBe('2027-01-01');
  });

  it('ends a civil day at 23:59:59 +08:00', () => {
    expect(endOfShanghaiDay(dayNumber('2026-10-13')).toISOString()).toBe('2026-10-13T15:59:59.000Z');
  });
});
