import type { FastifyPluginAsync } from 'fastify';
import { AppError, statusOf } from '../../http/errors.js';
import { DomainError } from '../../infra/errors.js';
import type { PublicityContext } from '../disclosures/timers.js';
import { CATEGORY_LABELS } from '../portal/exports.js';
import { byAgencyChart, figuresCharts } from './charts.js';
import { figuresTable, statusTable } from './exports.js';
import {
  type AnnualFigures,
  computeFigures,
  DISCLOSURE_DEFINITION,
  OVERDUE_REVIEW_DEFINITION,
  REVIEW_TIME_DEFINITION,
} from './figures.js';
import {
  publishAnnualReport,
  REPORT_STATE_LABELS,
  reportStatus,
  shanghaiYear,
  submissionHistory,
  submitAnnualReport,
  yearReports,
} from './reports.js';
import { supervisorView } from './supervisor-routes.js';

// The workbench's view engine resolves pages under its own views folder.
const VIEW = (name: string) => `../../publicity/views/${name}.hbs`;
const HEAD = '<link rel="stylesheet" href="/assets/stats.css">';
const DEFINITIONS = [REVIEW_TIME_DEFINITION, OVERDUE_REVIEW_DEFINITION, DISCLOSURE_DEFINITION];

/** The year asked for, or last year (the one being reported) when absent or out of range. */
function yearParam(raw: unknown, now: Date): number {
  const n = Number.parseInt(String(raw ?? ''), 10);
  return n >= 2000 && n <= 2199 ? n : shanghaiYear(now) - 1;
}

const dash = <T>(v: T | null | undefined) => (v === null || v === undefined ? '—' : v);
const rate = (n: number, of: number) => (of ? `${Math.round((n / of) * 1000) / 10}%` : '—');

/** One set of figures as labelled lines, for a table of live figures beside the submitted snapshot. */
function figureLines(f: AnnualFigures) {
  return [
    ...Object.entries(CATEGORY_LABELS).map(([k, label]) => ({ label: `${label}决定`, value: f.decisions[k] ?? 0 })),
    { label: '法制审核意见', value: f.reviews.total },
    { label: '其中同意', value: f.reviews.approved },
    { label: '其中退回', value: f.reviews.returned },
    { label: '其中不同意', value: f.reviews.disapproved },
    { label: '其中移送', value: f.reviews.transferred },
    { label: '审核超期', value: dash(f.reviews.overdue) },
    {
      label: '平均审核时长（工作日）',
      value:
        f.version === 1 ? `旧口径 ${dash(f.legacyAverageReviewCalendarDays)} 自然日` : dash(f.averageReviewWorkingDays),
    },
    { label: '应公开决定', value: f.disclosures.total },
    { label: '已公开', value: f.disclosures.published },
    { label: '按期公开率', value: rate(f.disclosures.onTime, f.disclosures.published) },
    { label: '逾期公开或超期未公开', value: f.disclosures.overdue },
    { label: '撤下', value: f.disclosures.withdrawn },
  ];
}

const tableView = (t: ReturnType<typeof figuresTable>) => ({
  header: t.header,
  rows: t.rows.map((r) => r.map((c) => dash(c))),
});

/** The data of the public statistics page: published reports only. */
export async function publicStatisticsPage(ctx: PublicityContext, rawYear: unknown) {
  const year = yearParam(rawYear, ctx.clock.now());
  const r = await yearReports(ctx, year, { publishedOnly: true });
  return {
    title: '年度统计',
    year,
    prevYear: year - 1,
    nextYear: year + 1,
    report: r,
    charts: [
      ...figuresCharts(`${year}年`, r.total),
      ...(r.agencies.length
        ? [
            byAgencyChart(`${year}年各机关执法决定数`, r.agencies, (f) =>
              Object.values(f.decisions).reduce((s, n) => s + n, 0),
            ),
          ]
        : []),
    ],
    table: tableView(figuresTable(r)),
    definitions: DEFINITIONS,
  };
}

/** The legal unit's statistics page and the justice bureau's city-wide view. */
export const statisticsPages: FastifyPluginAsync = async (app) => {
  app.get('/publicity/statistics', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['legal_admin', 'chief']);
    if (!actor) return reply;
    const q = request.query as { year?: string; done?: string; error?: string };
    const now = app.clock.now();
    const year = yearParam(q.year, now);
    const [live, status, history] = await Promise.all([
      computeFigures(app.publicity, actor.departmentId, year),
      reportStatus(app.publicity, actor.departmentId, year),
      submissionHistory(app.publicity, actor.departmentId, year),
    ]);
    const snapshot = status.figures ? figureLines(status.figures) : null;
    const canAct = actor.roles.includes('legal_admin');
    return app.renderPage(
      reply,
      VIEW('workbench-statistics'),
      {
        title: `${year} 年度行政执法统计`,
        headExtra: HEAD,
        year,
        prevYear: year - 1,
        nextYear: year + 1,
        ended: year < shanghaiYear(now),
        status: { ...status, stateLabel: REPORT_STATE_LABELS[status.state] },
        canSubmit: canAct && year < shanghaiYear(now) && status.state !== 'published',
        canPublish: canAct && status.state === 'submitted',
        lines: figureLines(live).map((l, i) => ({ ...l, snapshot: snapshot?.[i]?.value })),
        charts: figuresCharts('本机关', live),
        history,
        definitions: DEFINITIONS,
        done: q.done,
        error: q.error,
      },
      actor,
    );
  });

  for (const step of ['submit', 'publish'] as const) {
    app.post(
      `/publicity/statistics/${step}`,
      { schema: { hide: true }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const actor = await app.pageActor(request, reply, ['legal_admin']);
        if (!actor) return reply;
        const year = Number((request.body as { year?: string }).year);
        if (!Number.isInteger(year) || year < 2000 || year > 2199) throw new AppError(400, 'BAD_REQUEST', '年度不正确');
        try {
          await (step === 'submit' ? submitAnnualReport : publishAnnualReport)(app.publicity, actor, year);
        } catch (err) {
          if (err instanceof DomainError && statusOf(err) === 409) {
            return reply.redirect(`/publicity/statistics?year=${year}&error=${encodeURIComponent(err.message)}`, 303);
          }
          throw err;
        }
        return reply.redirect(`/publicity/statistics?year=${year}&done=${step}`, 303);
      },
    );
  }

  app.get('/supervisor/statistics', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['supervisor', 'admin']);
    if (!actor) return reply;
    const year = yearParam((request.query as { year?: string }).year, app.clock.now());
    const view = await supervisorView(app.publicity, year);
    const r = view.aggregate;
    return app.renderPage(
      reply,
      VIEW('supervisor-statistics'),
      {
        title: `${year} 年度行政执法统计汇总`,
        headExtra: HEAD,
        year,
        prevYear: year - 1,
        nextYear: year + 1,
        view,
        status: tableView(statusTable(year, view.agencies)),
        late: view.agencies.map((a) => a.submission === 'late' || (a.submission === 'missing' && a.submitOverdue)),
        charts: [
          ...figuresCharts(`${year}年全市`, r.total),
          ...(r.agencies.length
            ? [byAgencyChart(`${year}年各机关审核超期`, r.agencies, (f) => f.reviews.overdue ?? 0)]
            : []),
        ],
        table: tableView(figuresTable(r)),
        definitions: DEFINITIONS,
      },
      actor,
    );
  });
};
