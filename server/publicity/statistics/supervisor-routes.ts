import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stdErrors } from '../../http/schemas.js';
import type { PublicityContext } from '../disclosures/timers.js';
import { attachment, figuresTable, sendXlsx, statusTable, tableCsv, tablesXlsx, XLSX_TYPE } from './exports.js';
import { agencyStatuses, reportDeadlines, yearReports } from './reports.js';
import { CsvResponse, SupervisorView, withIsoDates, XlsxResponse, YearQuery } from './schemas.js';

const TAG = '年度统计（司法行政部门）';
const ACCESS = ['supervisor', 'admin'] as const;
const PRIVATE = 'private, no-store';

/**
 * The justice bureau's view of a year: each agency's submission (on time, late, missing) and publication,
 * and the city-wide sum of every submitted report — what the bureau reports upward.
 */
export async function supervisorView(ctx: PublicityContext, year: number) {
  const [agencies, aggregate] = await Promise.all([
    agencyStatuses(ctx, year),
    yearReports(ctx, year, { publishedOnly: false }),
  ]);
  const count = (p: (a: (typeof agencies)[number]) => boolean) => agencies.filter(p).length;
  return {
    year,
    ...reportDeadlines(year),
    counts: {
      agencies: agencies.length,
      submitted: count((a) => a.state !== 'missing'),
      onTime: count((a) => a.submission === 'on_time'),
      late: count((a) => a.submission === 'late'),
      missing: count((a) => a.submission === 'missing'),
      published: count((a) => a.state === 'published'),
    },
    agencies,
    aggregate,
  };
}

/** The aggregate as an export: the figures of submitted reports, and (xlsx) the submission status. */
export async function supervisorTables(ctx: PublicityContext, year: number) {
  const view = await supervisorView(ctx, year);
  return {
    figures: figuresTable(view.aggregate, `${year}年度全市汇总`),
    status: statusTable(year, view.agencies),
  };
}

export const supervisorStatisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/supervisor/statistics',
    {
      config: { access: ACCESS },
      schema: {
        tags: [TAG],
        summary: '某年度各执法机关统计的报送、公开情况与全市汇总（已报送的报告）',
        querystring: YearQuery,
        response: { 200: SupervisorView, ...stdErrors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PRIVATE);
      return withIsoDates(await supervisorView(app.publicity, request.query.year));
    },
  );

  app.get(
    '/api/supervisor/statistics.csv',
    {
      config: { access: ACCESS },
      schema: {
        tags: [TAG],
        summary: '全市汇总导出（CSV）',
        querystring: YearQuery,
        produces: ['text/csv'],
        response: { 200: CsvResponse, ...stdErrors },
      },
    },
    async (request, reply) => {
      const { year } = request.query;
      const { figures } = await supervisorTables(app.publicity, year);
      return reply
        .header('cache-control', PRIVATE)
        .header('content-disposition', attachment(`${year}年度全市行政执法统计汇总.csv`, `city-statistics-${year}.csv`))
        .type('text/csv; charset=utf-8')
        .send(tableCsv(figures));
    },
  );

  app.get(
    '/api/supervisor/statistics.xlsx',
    {
      config: { access: ACCESS },
      schema: {
        tags: [TAG],
        summary: '全市汇总导出（Excel：汇总表与报送情况各一张工作表）',
        querystring: YearQuery,
        produces: [XLSX_TYPE],
        response: { 200: XlsxResponse, ...stdErrors },
      },
    },
    async (request, reply) => {
      const { year } = request.query;
      const { figures, status } = await supervisorTables(app.publicity, year);
      const names = { fileName: `${year}年度全市行政执法统计汇总.xlsx`, fallback: `city-statistics-${year}.xlsx` };
      return sendXlsx(reply, await tablesXlsx([figures, status], app.clock.now()), names, PRIVATE);
    },
  );
};
