import { Type } from 'typebox';
import { IsoDateTime } from '../../http/schemas.js';
import { MAX_YEAR } from '../../workdays/days.js';
import { XLSX_TYPE } from './exports.js';

const Count = Type.Integer({ minimum: 0 });
const NullableDate = Type.Union([IsoDateTime, Type.Null()]);

// A report's deadlines fall in the following January, which the working-day calendar must cover (to 2199).
export const YearQuery = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: MAX_YEAR - 1 }) });

export const Figures = Type.Object({
  version: Type.Integer({ description: '口径版本：2 为工作日口径；1 为旧快照（自然日、未统计审核超期）' }),
  decisions: Type.Record(Type.String(), Count, { description: '按类别的执法决定数（按决定日期）' }),
  reviews: Type.Object({
    total: Count,
    approved: Count,
    returned: Count,
    disapproved: Count,
    transferred: Count,
    overdue: Type.Union([Count, Type.Null()], {
      description: '审核超期：期限届满日在本年度、超期完成或期限已过仍未完成的法制审核与复核任务数（旧快照为 null）',
    }),
  }),
  averageReviewWorkingDays: Type.Union([Type.Number(), Type.Null()], {
    description: '平均审核时长（工作日）：自该轮送审之日至审核意见签署之日，送审当日不计，节假日不计',
  }),
  reviewsTimed: Type.Integer({ minimum: 0, description: '计入平均审核时长的审核意见数' }),
  legacyAverageReviewCalendarDays: Type.Optional(
    Type.Union([Type.Number(), Type.Null()], { description: '旧快照（版本 1）报送的平均审核天数（自然日）' }),
  ),
  disclosures: Type.Object({ total: Count, published: Count, onTime: Count, overdue: Count, withdrawn: Count }),
});

export const Report = Type.Object({
  year: Type.Integer(),
  agencies: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      submittedAt: IsoDateTime,
      publishedAt: NullableDate,
      figures: Figures,
    }),
  ),
  total: Figures,
  legacyReports: Type.Integer({ minimum: 0, description: '按旧口径报送的报告数' }),
});

const State = Type.Union([Type.Literal('missing'), Type.Literal('submitted'), Type.Literal('published')], {
  description: 'missing 未报送 · submitted 已报送（未公开） · published 已公开',
});

const statusFields = {
  year: Type.Integer(),
  state: State,
  submitBy: IsoDateTime,
  publishBy: IsoDateTime,
  submittedAt: NullableDate,
  firstSubmittedAt: NullableDate,
  submittedBy: Type.Union([Type.String(), Type.Null()]),
  revision: Type.Integer({ minimum: 0, description: '报送次数' }),
  submittedLate: Type.Boolean({ description: '首次报送晚于 1 月 15 日' }),
  publishedAt: NullableDate,
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  publishedLate: Type.Union([Type.Boolean(), Type.Null()], { description: '公开晚于 1 月 31 日；未公开为 null' }),
  submitOverdue: Type.Boolean({ description: '尚未报送且已过 1 月 15 日' }),
  publishOverdue: Type.Boolean({ description: '尚未公开且已过 1 月 31 日' }),
};

export const OwnReport = Type.Object({
  ...statusFields,
  figures: Type.Union([Figures, Type.Null()], { description: '最近一次报送的统计快照' }),
  history: Type.Array(
    Type.Object({
      revision: Type.Integer(),
      submittedAt: IsoDateTime,
      submittedBy: Type.String(),
      late: Type.Boolean(),
    }),
  ),
});

export const SupervisorView = Type.Object({
  year: Type.Integer(),
  submitBy: IsoDateTime,
  publishBy: IsoDateTime,
  counts: Type.Object({
    agencies: Count,
    submitted: Count,
    onTime: Count,
    late: Count,
    missing: Count,
    published: Count,
  }),
  agencies: Type.Array(
    Type.Object({
      departmentId: Type.String(),
      name: Type.String(),
      submission: Type.Union([Type.Literal('on_time'), Type.Literal('late'), Type.Literal('missing')]),
      ...statusFields,
    }),
  ),
  aggregate: Report,
});

export const CsvResponse = Type.String({ description: 'CSV（UTF-8，带 BOM）' });

export const XlsxResponse = {
  description: 'Excel 工作簿（.xlsx）',
  content: { [XLSX_TYPE]: { schema: Type.String({ format: 'binary' }) } },
};

/** A value with every Date as its ISO string, as the response schemas declare them. */
export type WithIsoDates<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? WithIsoDates<U>[]
    : T extends object
      ? { [K in keyof T]: WithIsoDates<T[K]> }
      : T;

export function withIsoDates<T>(value: T): WithIsoDates<T> {
  if (value instanceof Date) return value.toISOString() as WithIsoDates<T>;
  if (Array.isArray(value)) return value.map(withIsoDates) as WithIsoDates<T>;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withIsoDates(v)])) as WithIsoDates<T>;
  }
  return value as WithIsoDates<T>;
}
