import { CATEGORY_LABELS } from '../portal/exports.js';
import type { AnnualFigures } from './figures.js';

const esc = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/** A horizontal bar chart as inline SVG (server-rendered; no script). Labels are escaped. */
export function barChartSvg(title: string, bars: { label: string; value: number }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  const width = 640;
  const left = 160;
  const body = bars
    .map((b, i) => {
      const w = Math.round(((width - left - 60) * b.value) / max);
      const y = 30 + i * row;
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="13">${esc(b.label)}</text><rect x="${left}" y="${y}" width="${w}" height="20" fill="#9f1d20"/><text x="${left + w + 6}" y="${y + 15}" font-size="13">${b.value}</text>`;
    })
    .join('');
  const height = 40 + bars.length * row;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="18" font-size="15" font-weight="bold">${esc(title)}</text>${body}</svg>`;
}

/** The charts of one set of figures: decisions by category, review conclusions, disclosure timeliness. */
export function figuresCharts(prefix: string, f: AnnualFigures): string[] {
  return [
    barChartSvg(
      `${prefix}执法决定（按类别）`,
      Object.entries(CATEGORY_LABELS).map(([k, label]) => ({ label, value: f.decisions[k] ?? 0 })),
    ),
    barChartSvg(`${prefix}法制审核（按结论）`, [
      { label: '同意', value: f.reviews.approved },
      { label: '退回', value: f.reviews.returned },
      { label: '不同意', value: f.reviews.disapproved },
      { label: '移送', value: f.reviews.transferred },
      { label: '审核超期', value: f.reviews.overdue ?? 0 },
    ]),
    barChartSvg(`${prefix}执法决定公开`, [
      { label: '应公开', value: f.disclosures.total },
      { label: '已公开', value: f.disclosures.published },
      { label: '按期公开', value: f.disclosures.onTime },
      { label: '逾期或超期未公开', value: f.disclosures.overdue },
      { label: '撤下', value: f.disclosures.withdrawn },
    ]),
  ];
}

/** One bar per agency of a figure of its report. */
export function byAgencyChart(
  title: string,
  agencies: { name: string; figures: AnnualFigures }[],
  of: (f: AnnualFigures) => number,
) {
  return barChartSvg(
    title,
    agencies.map((a) => ({ label: a.name, value: of(a.figures) })),
  );
}
