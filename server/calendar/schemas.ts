import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';
import { MAX_YEAR, MIN_YEAR } from '../workdays/days.js';

/** The calendar API's schema pieces. */
export const CalendarDate = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  examples: ['2026-09-30'],
});

export const YearParams = Type.Object({ year: Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR }) });

export const DeadlineUnit = Type.Union([Type.Literal('working_days'), Type.Literal('calendar_days')], {
  default: 'working_days',
  description: 'working_days：第 N 个工作日；calendar_days：第 N 个自然日',
});

export const WorkdaysQuery = Type.Object({
  from: CalendarDate,
  days: Type.Integer({ minimum: 1, maximum: 3660 }),
  unit: DeadlineUnit,
  rollForward: Type.Boolean({ default: false, description: '自然日期限届满日为休息日时顺延至下一个工作日' }),
});

export const SkippedDaySchema = Type.Object({
  date: CalendarDate,
  reason: Type.Union([Type.Literal('holiday'), Type.Literal('weekend')]),
  name: Type.Optional(Type.String()),
});

export const DeadlineSchema = Type.Object({
  due: CalendarDate,
  dueAt: IsoDateTime,
  provisional: Type.Boolean({ description: '涉及尚未载入节假日安排的年份，按周一至周五临时计算' }),
  skipped: Type.Array(SkippedDaySchema),
});

const DayEntrySchema = Type.Object({ date: CalendarDate, name: Type.String() });
const Source = Type.Union([Type.Literal('chinese-days'), Type.Literal('manual')]);

export const YearViewSchema = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Source, Type.Null()]),
  holidays: Type.Array(DayEntrySchema),
  makeupWorkdays: Type.Array(DayEntrySchema),
  provisional: Type.Boolean(),
  loadedAt: Type.Union([IsoDateTime, Type.Null()]),
  loadedBy: Type.Union([Uuid, Type.Null()]),
});

export const YearListSchema = Type.Object({
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      source: Source,
      holidayCount: Type.Integer(),
      makeupWorkdayCount: Type.Integer(),
      loadedAt: IsoDateTime,
      loadedBy: Type.Union([Uuid, Type.Null()]),
    }),
  ),
  warning: Type.Union([Type.String(), Type.Null()], { description: '次年节假日安排未载入时给管理员的提示' }),
});

const ScheduleEntrySchema = Type.Object(
  {
    date: Type.Optional(CalendarDate),
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    name: Type.String({ minLength: 1, maxLength: 50 }),
  },
  { additionalProperties: false, description: '单日 date，或区间 from–to（含两端）' },
);

export const ScheduleJsonSchema = Type.Object(
  {
    year: Type.Optional(Type.Integer({ description: '如给出，须与路径中的年份一致' })),
    holidays: Type.Array(ScheduleEntrySchema, { maxItems: 200 }),
    makeupWorkdays: Type.Array(ScheduleEntrySchema, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const ScheduleCsvSchema = Type.String({
  minLength: 1,
  maxLength: 100_000,
  description: '每行 type,date_or_range,name；type 为 holiday 或 workday，区间写作 2027-10-01~2027-10-07',
});
