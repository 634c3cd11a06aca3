import type { FastifyPluginAsync } from 'fastify';
import { UUID } from '../infra/ids.js';
import { barChartSvg } from '../publicity/statistics/charts.js';
import { INDICATOR_KEYS, INDICATORS, type IndicatorKey } from './definitions.js';
import { casesBehind, indicatorTable } from './service.js';

const VIEW = (name: string) => `../../indicators/views/${name}.hbs`;
const ROLES = ['supervisor', 'admin', 'legal_admin', 'chief'] as const;

/** The year asked for, or the current one (Asia/Shanghai). */
function yearOf(raw: unknown, now: Date): number {
  const n = Number.parseInt(String(raw ?? ''), 10);
  return n >= 2000 && n <= 2199 ? n : new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
}

const pct = (rate: number | null) => (rate === null ? '—' : `${rate}%`);

/** 评议考核 pages: the table with charts, and the cases behind each figure. */
export const indicatorPages: FastifyPluginAsync = async (app) => {
  app.get('/indicators', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const year = yearOf((request.query as { year?: string }).year, app.clock.now());
    const t = await indicatorTable(app.db, actor, year, app.clock.now());
    const cell = (key: IndicatorKey, f: (typeof t.overall)[IndicatorKey], departmentId?: string) => ({
      rate: pct(f.rate),
      met: f.met,
      total: f.total,
      href: `/indicators/cases?${new URLSearchParams({
        year: String(year),
        indicator: key,
        ...(departmentId ? { departmentId } : {}),
      })}`,
    });
    return app.renderPage(
      reply,
      VIEW('indicators'),
      {
        title: `${year} 年度评议考核指标`,
        year,
        prevYear: year - 1,
        nextYear: year + 1,
        indicators: t.indicators,
        rows: t.agencies.map((a) => ({
          name: a.departmentName,
          cells: INDICATOR_KEYS.map((k) => cell(k, a.figures[k], a.departmentId)),
        })),
        overall: INDICATOR_KEYS.map((k) => cell(k, t.overall[k])),
        cityWide: actor.roles.some((r) => r === 'supervisor' || r === 'admin'),
        charts: INDICATOR_KEYS.map((k) =>
          barChartSvg(
            `${INDICATORS[k].label}（%）`,
            t.agencies.map((a) => ({ label: a.departmentName, value: a.figures[k].rate ?? 0 })),
          ),
        ),
      },
      actor,
    );
  });

  app.get('/indicators/cases', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const query = request.query as { year?: string; indicator?: string; departmentId?: string };
    const key = (INDICATOR_KEYS as string[]).includes(query.indicator ?? '')
      ? (query.indicator as IndicatorKey)
      : 'review_coverage';
    const year = yearOf(query.year, app.clock.now());
    const departmentId = query.departmentId && UUID.test(query.departmentId) ? query.departmentId : undefined;
    const items = await casesBehind(app.db, actor, { key, year, now: app.clock.now(), departmentId });
    const lower = INDICATORS[key].better === 'lower';
    return app.renderPage(
      reply,
      VIEW('indicator-cases'),
      {
        title: `${year} 年度${INDICATORS[key].label}所依据的案件`,
        indicator: INDICATORS[key],
        year,
        items: items.map((i) => ({ ...i, counts: lower ? !i.met : i.met })),
        countsLabel: lower ? '被纠错' : '达标',
      },
      actor,
    );
  });
};
