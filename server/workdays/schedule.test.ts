import { describe, expect, it } from 'vitest';
import { expandScheduleJson, parseScheduleCsv, ScheduleError, scheduleProblems, toYearSchedule } from './schedule.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScheduleError) return err.problems;
    throw err;
  }
  return [];
}

describe('JSON schedules', () => {
  it('expands holiday ranges day by day and keeps single dates', () => {
    const s = expandScheduleJson({
      holidays: [
        { from: '2027-10-01', to: '2027-10-07', name: '国庆节' },
        { date: '2027-01-01', name: '元旦' },
      ],
      makeupWorkdays: [{ date: '2027-09-26', name: '国庆节' }],
    });
    expect(s.holidays).toHaveLength(8);
    expect(s.holidays[6]).toEqual({ date: '2027-10-07', name: '国庆节' });
    expect(s.makeupWorkdays).toEqual([{ date: '2027-09-26', name: '国庆节' }]);
  });

  it('lists every malformed entry', () => {
    const problems = problemsOf(() =>
      expandScheduleJson({
        holidays: [
          { date: '2027-01-01', from: '2027-01-01', to: '2027-01-02', name: '元旦' },
          { from: '2027-10-07', to: '2027-10-01', name: '国庆节' },
          { date: '2027-05-01', name: ' ' },
        ],
        makeupWorkdays: [{ from: '2027-01-01', name: 'x' }],
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^holidays\[0\]/);
    expect(problems[3]).toMatch(/^makeupWorkdays\[0\]/);
  });
});

describe('CSV schedules', () => {
  it('reads type,date_or_range,name lines with a header, comments, CRLF and a BOM', () => {
    const csv = [
      '\uFEFFtype,date_or_range,name',
      '# 2027 年安排（示例）',
      'holiday,2027-10-01~2027-10-07,国庆节',
      '',
      'workday,2027-09-26,国庆节',
      'HOLIDAY, 2027-01-01 ,元旦,新年',
    ].join('\r\n');
    const s = parseScheduleCsv(csv);
    expect(s.holidays.map((h) => h.date)).toContain('2027-10-04');
    expect(s.holidays).toHaveLength(8);
    expect(s.holidays[7]).toEqual({ date: '2027-01-01', name: '元旦,新年' });
    expect(s.makeupWorkdays).toEqual([{ date: '2027-09-26', name: '国庆节' }]);
  });

  it('names the line of each problem', () => {
    const problems = problemsOf(() =>
      parseScheduleCsv('holiday,2027-10-01,国庆节\nrest,2027-10-02,国庆节\nworkday,2027-09-26~,x'),
    );
    expect(problems).toEqual([expect.stringMatching(/^第 2 行: 类型/), expect.stringMatching(/^第 3 行: 日期区间/)]);
  });
});

describe('schedule rules', () => {
  const ok = {
    holidays: [{ date: '2027-10-01', name: '国庆节' }],
    makeupWorkdays: [{ date: '2027-09-26', name: '国庆节' }],
  };

  it('accepts a schedule whose make-up days are weekends inside the year', () => {
    expect(scheduleProblems(2027, ok)).toEqual([]);
  });

  it('refuses dates outside the year, duplicates, overlaps, weekday make-up days and non-dates', () => {
    const problems = scheduleProblems(2027, {
      holidays: [
        { date: '2026-12-31', name: '元旦' },
        { date: '2027-10-01', name: '国庆节' },
        { date: '2027-10-01', name: '国庆节' },
        { date: '2027-09-25', name: '中秋' },
        { date: '2027-02-30', name: '春节' },
      ],
      makeupWorkdays: [
        { date: '2027-09-25', name: '国庆节' },
        { date: '2027-09-27', name: '国庆节' },
      ],
    });
    expect(problems).toEqual([
      '放假日 2026-12-31 不在 2027 年内',
      '放假日 2027-10-01 重复',
      '放假日 "2027-02-30" 不是合法日期（应为 YYYY-MM-DD）',
      '调休上班日 2027-09-27 不是周六或周日',
      '2027-09-25 既是放假日又是调休上班日',
    ]);
  });

  it('becomes the calendar core schedule with holiday names', () => {
    expect(toYearSchedule(2027, ok)).toEqual({
      year: 2027,
      holidays: ['2027-10-01'],
      makeupWorkdays: ['2027-09-26'],
      names: { '2027-10-01': '国庆节' },
    });
  });
});
