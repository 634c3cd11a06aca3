import type { FastifyReply } from 'fastify';
import writeExcelFile from 'write-excel-file/node';
import { formatDateTime } from '../../http/view-engine.js';
import { CATEGORY_LABELS, toCsv } from '../portal/exports.js';
import type { AnnualFigures } from './figures.js';
import { type AgencyStatus, REPORT_STATE_LABELS, type YearReport } from './reports.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Cell = string | number | null;

/** A table as exported: Chinese headers and rows of numbers (or text). CSV and XLSX are written from it. */
export interface ExportTable {
  sheet: string;
  header: string[];
  rows: Cell[][];
}

const pct = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : null);

/** The figures table: one row per agency and the city-wide sum (全市合计). */
export function figuresTable(r: YearReport, sheet = `${r.year}年度统计`): ExportTable {
  const cats = Object.keys(CATEGORY_LABELS);
  const line = (name: string, f: AnnualFigures): Cell[] => [
    name,
    ...cats.map((c) => f.decisions[c] ?? 0),
    f.reviews.total,
    f.reviews.approved,
    f.reviews.returned,
    f.reviews.disapproved,
    f.reviews.transferred,
    f.reviews.overdue,
    f.averageReviewWorkingDays,
    f.disclosures.total,
    f.disclosures.published,
    f.disclosures.onTime,
    pct(f.disclosures.onTime, f.disclosures.published),
    f.disclosures.overdue,
    f.disclosures.withdrawn,
  ];
  return {
    sheet,
    header: [
      '执法机关',
      ...cats.map((c) => CATEGORY_LABELS[c]),
      '法制审核意见（件）',
      '同意',
      '退回',
      '不同意',
      '移送',
      '审核超期',
      '平均审核时长（工作日）',
      '应公开决定',
      '已公开',
      '按期公开',
      '按期公开率（%）',
      '逾期公开或超期未公开',
      '撤下',
    ],
    rows: [...r.agencies.map((a) => line(a.name, a.figures)), line('全市合计', r.total)],
  };
}

const SUBMISSION_LABELS = { on_time: '按期报送', late: '逾期报送', missing: '未报送' } as const;
const yesNo = (v: boolean | null) => (v === null ? '' : v ? '是' : '否');

/** 报送情况: each agency's submission and publication, for the justice bureau. */
export function statusTable(year: number, statuses: AgencyStatus[]): ExportTable {
  return {
    sheet: `${year}年度报送情况`,
    header: ['执法机关', '状态', '报送情况', '首次报送时间', '最近报送时间', '报送次数', '公开时间', '是否逾期公开'],
    rows: statuses.map((s) => [
      s.name,
      REPORT_STATE_LABELS[s.state],
      s.submission === 'missing' && s.submitOverdue ? '未报送（已逾期）' : SUBMISSION_LABELS[s.submission],
      formatDateTime(s.firstSubmittedAt) || null,
      formatDateTime(s.submittedAt) || null,
      s.revision,
      formatDateTime(s.publishedAt) || null,
      yesNo(s.publishedLate),
    ]),
  };
}

export function tableCsv(t: ExportTable): string {
  return toCsv(
    t.header,
    t.rows.map((r) => r.map((c) => c ?? '')),
  );
}

/**
 * An .xlsx workbook with a sheet per table: bold header row, frozen, numbers stored as numbers (empty cells
 * for figures that do not exist). Text cells are typed as text: a name starting with "=" never becomes a
 * formula. `created` is kept in the signature so callers stamp workbooks with the app's clock when the
 * writer supports it; write-excel-file has no document properties.
 */
export async function tablesXlsx(tables: ExportTable[], _created: Date): Promise<Buffer> {
  const sheets = tables.map((t) => ({
    sheet: t.sheet,
    stickyRowsCount: 1,
    columns: t.header.map((h, i) => ({ width: i === 0 ? 28 : Math.max(10, h.length * 2 + 2) })),
    data: [
      t.header.map((h) => ({ value: h, type: String, fontWeight: 'bold' as const })),
      ...t.rows.map((row) =>
        row.map((c) =>
          c === null ? null : typeof c === 'number' ? { value: c, type: Number } : { value: c, type: String },
        ),
      ),
    ],
  }));
  return Buffer.from(await writeExcelFile(sheets).toBuffer());
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachment(fileName: string, fallback: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Sends a workbook as a download (the reply is untyped here: the route's schema declares the binary body). */
export function sendXlsx(
  reply: FastifyReply,
  bytes: Buffer,
  names: { fileName: string; fallback: string },
  cache: string,
) {
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', attachment(names.fileName, names.fallback))
    .header('cache-control', cache)
    .send(bytes);
}
