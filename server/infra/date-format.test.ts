import { describe, expect, it } from 'vitest';
import { formatDateTimeZh, formatDateZh } from './date-format.js';

describe('dates are written in Beijing time, in Chinese form', () => {
  it('turns a UTC instant late in the day into the next Beijing day', () => {
    expect(formatDateTimeZh(new Date('2026-12-04T17:30:00Z'))).toBe('2026年12月5日 01:30');
    expect(formatDateZh(new Date('2026-12-04T17:30:00Z'))).toBe('2026年12月5日');
  });

  it('reads ISO text with an offset and keeps two-digit hours and minutes', () => {
    expect(formatDateTimeZh('2026-01-09T09:05:00+08:00')).toBe('2026年1月9日 09:05');
    expect(formatDateTimeZh('2026-12-31T16:00:00Z')).toBe('2027年1月1日 00:00');
  });

  it('writes a calendar date as that day, whatever the process’s zone', () => {
    expect(formatDateZh('2026-03-01')).toBe('2026年3月1日');
  });

  it('writes nothing for nothing or for what is not a moment', () => {
    expect(formatDateTimeZh(null)).toBe('');
    expect(formatDateTimeZh('not a date')).toBe('');
    expect(formatDateZh(undefined)).toBe('');
  });
});
