import { sql } from 'kysely';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { CATEGORY_LABELS, toCsv } from './exports.js';
import type { PublicityContext } from './timers.js';

/** One agency's yearly enforcement figures (年度行政执法数据). */
export interface AnnualFigures {
  decisions: Record<string, number>;
  reviews: { total: number; approved: number; returned: number; disapproved: number; transferred: number };
  averageReviewDays: number | null;
  disclosures: { total: number; published: number; onTime: number; overdue: number; withdrawn: number };
}

const yearRange = (year: number) => [`${year}-01-01`, `${year + 1}-01-01`] as const;

/** Computes an agency's figures for a year from cases, review opinions and disclosures. */
export async function computeFigures(
  ctx: PublicityContext,
  departmentId: string,
  year: number,
): Promise<AnnualFigures> {
  const [from, to] = yearRange(year);
  const decided = await ctx.db
    .selectFrom('disclosures')
    .select(['category', (eb) => eb.fn.countAll<string>().as('n')])
    .where('department_id', '=', departmentId)
    .where('decision_date', '>=', from)
    .where('decision_date', '<', to)
    .groupBy('category')
    .execute();
  const decisions: Record<string, number> = Object.fromEntries(Object.keys(CATEGORY_LABELS).map((c) => [c, 0]));
  for (const r of decided) decisions[r.category] = Number(r.n);
  const opinions = await ctx.db
    .selectFrom('review_opinions as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(['o.conclusion', (eb) => eb.fn.countAll<string>().as('n')])
    .where('c.department_id', '=', departmentId)
    .where('o.created_at', '>=', new Date(`${from}T00:00:00+08:00`))
    .where('o.created_at', '<', new Date(`${to}T00:00:00+08:00`))
    .groupBy('o.conclusion')
    .execute();
  const by = (k: string) => Number(opinions.find((o) => o.conclusion === k)?.n ?? 0);
  const avg = await ctx.db
    .selectFrom('review_opinions as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .select(sql<number | null>`avg(extract(epoch from o.created_at - c.created_at) / 86400.0)`.as('days'))
    .where('c.department_id', '=', departmentId)
    .where('o.kind', '=', 'review')
    .where('o.created_at', '>=', new Date(`${from}T00:00:00+08:00`))
    .where('o.created_at', '<', new Date(`${to}T00:00:00+08:00`))
    .executeTakeFirst();
  const disc = await ctx.db
    .selectFrom('disclosures')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where published_at is not null)`.as('published'),
      sql<number>`count(*) filter (where published_at is not null and published_at <= due_at)`.as('on_time'),
      sql<number>`count(*) filter (where overdue_at is not null or (published_at is not null and published_at > due_at))`.as(
        'overdue',
      ),
      sql<number>`count(*) filter (where status = 'withdrawn')`.as('withdrawn'),
    ])
    .where('department_id', '=', departmentId)
    .where('decision_date', '>=', from)
    .where('decision_date', '<', to)
    .executeTakeFirstOrThrow();
  return {
    decisions,
    reviews: {
      total: opinions.reduce((s, o) => s + Number(o.n), 0),
      approved: by('approve') + by('approve_with_changes'),
      returned: by('return'),
      disapproved: by('disapprove'),
      transferred: by('transfer'),
    },
    averageReviewDays: avg?.days == null ? null : Math.round(Number(avg.days) * 10) / 10,
    disclosures: {
      total: Number(disc.total),
      published: Number(disc.published),
      onTime: Number(disc.on_time),
      overdue: Number(disc.overdue),
      withdrawn: Number(disc.withdrawn),
    },
  };
}

/** 报送并公开: the legal unit submits last year's figures (snapshot) to the justice bureau and publishes them. */
export async function submitAnnualReport(ctx: PublicityContext, actor: Actor, year: number) {
  const now = ctx.clock.now();
  if (year >= now.getUTCFullYear() + (now.getUTCMonth() === 11 && now.getUTCDate() === 31 ? 1 : 0)) {
    throw new AppError(409, 'CONFLICT', '只能报送已结束年度的统计数据');
  }
  const figures = await computeFigures(ctx, actor.departmentId, year);
  await ctx.db
    .insertInto('annual_reports')
    .values({
      department_id: actor.departmentId,
      year,
      figures: JSON.stringify(figures),
      submitted_at: now,
      submitted_by: actor.id,
      published_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['department_id', 'year']).doUpdateSet({
        figures: JSON.stringify(figures),
        submitted_at: now,
        submitted_by: actor.id,
        published_at: now,
      }),
    )
    .execute();
  return figures;
}

/**
 * The January reminder: from 1 January until the report for last year is in, the legal unit sees when it
 * is due (报送 by 15 January, 公开 by 31 January) and whether those days have passed.
 */
export async function annualReminder(ctx: PublicityContext, departmentId: string) {
  const now = ctx.clock.now();
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  const year = shanghai.getUTCFullYear() - 1;
  const done = await ctx.db
    .selectFrom('annual_reports')
    .select('submitted_at')
    .where('department_id', '=', departmentId)
    .where('year', '=', year)
    .executeTakeFirst();
  if (done) return null;
  const month = shanghai.getUTCMonth();
  const day = shanghai.getUTCDate();
  // Due from 1 January; a report still missing after January stays flagged as late.
  return { year, submitLate: month > 0 || day > 15, publishLate: month > 0 || day > 31 };
}

/** Submitted reports of a year, each agency's figures and the city-wide sum (市级汇总). */
export async function yearReports(ctx: PublicityContext, year: number) {
  const rows = await ctx.db
    .selectFrom('annual_reports as r')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .select(['d.id', 'd.name', 'r.figures', 'r.submitted_at'])
    .where('r.year', '=', year)
    .orderBy('d.code')
    .execute();
  const agencies = rows.map((r) => ({ id: r.id, name: r.name, figures: r.figures as unknown as AnnualFigures }));
  const total: AnnualFigures = {
    decisions: Object.fromEntries(Object.keys(CATEGORY_LABELS).map((c) => [c, 0])),
    reviews: { total: 0, approved: 0, returned: 0, disapproved: 0, transferred: 0 },
    averageReviewDays: null,
    disclosures: { total: 0, published: 0, onTime: 0, overdue: 0, withdrawn: 0 },
  };
  let weighted = 0;
  for (const a of agencies) {
    for (const [k, v] of Object.entries(a.figures.decisions)) total.decisions[k] = (total.decisions[k] ?? 0) + v;
    for (const k of Object.keys(total.reviews) as (keyof AnnualFigures['reviews'])[])
      total.reviews[k] += a.figures.reviews[k];
    for (const k of Object.keys(total.disclosures) as (keyof AnnualFigures['disclosures'])[])
      total.disclosures[k] += a.figures.disclosures[k];
    if (a.figures.averageReviewDays !== null) weighted += a.figures.averageReviewDays * a.figures.reviews.total;
  }
  total.averageReviewDays = total.reviews.total ? Math.round((weighted / total.reviews.total) * 10) / 10 : null;
  return { year, agencies, total };
}

export function reportsCsv(r: Awaited<ReturnType<typeof yearReports>>): string {
  const cats = Object.keys(CATEGORY_LABELS);
  const line = (name: string, f: AnnualFigures) => [
    name,
    ...cats.map((c) => f.decisions[c] ?? 0),
    f.reviews.total,
    f.reviews.approved,
    f.reviews.returned,
    f.reviews.disapproved,
    f.reviews.transferred,
    f.averageReviewDays ?? '',
    f.disclosures.published,
    f.disclosures.onTime,
    f.disclosures.overdue,
    f.disclosures.withdrawn,
  ];
  return toCsv(
    [
      '执法机关',
      ...cats.map((c) => CATEGORY_LABELS[c]),
      '审核件数',
      '同意',
      '退回',
      '不同意',
      '移送',
      '平均审核天数',
      '已公开',
      '按期公开',
      '超期',
      '撤下',
    ],
    [...r.agencies.map((a) => line(a.name, a.figures)), line('全市合计', r.total)],
  );
}

/** A horizontal bar chart as inline SVG (server-rendered; no script). Labels are escaped. */
export function barChartSvg(title: string, bars: { label: string; value: number }[]): string {
  const esc = (s: string) =>
    s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  const width = 640;
  const left = 120;
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
