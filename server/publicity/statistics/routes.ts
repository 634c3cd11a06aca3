import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, stdErrors } from '../../http/schemas.js';
import { PUBLIC_CACHE } from '../../http/view-engine.js';
import { actorOf } from '../../identity/access.js';
import type { PublicityContext } from '../disclosures/timers.js';
import { attachment, figuresTable, sendXlsx, tableCsv, tablesXlsx, XLSX_TYPE } from './exports.js';
import { computeFigures } from './figures.js';
import { publishAnnualReport, reportStatus, submissionHistory, submitAnnualReport, yearReports } from './reports.js';
import { CsvResponse, Figures, OwnReport, Report, withIsoDates, XlsxResponse, YearQuery } from './schemas.js';
import { supervisorStatisticsRoutes } from './supervisor-routes.js';

const TAG = '年度统计';
const PUBLIC_TAG = '公示平台（公开）';

async function ownReport(ctx: PublicityContext, departmentId: string, year: number) {
  const [status, history] = await Promise.all([
    reportStatus(ctx, departmentId, year),
    submissionHistory(ctx, departmentId, year),
  ]);
  return withIsoDates({ ...status, history });
}

/** 年度统计: an agency's live figures, its report (报送, 公开), and the published reports (public). */
export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/statistics/own',
    {
      config: { access: ['legal_admin', 'chief'] },
      schema: {
        tags: [TAG],
        summary: '本机关某年度的执法统计（实时计算，未报送）',
        querystring: YearQuery,
        response: { 200: Figures, ...stdErrors },
      },
    },
    async (request) => computeFigures(app.publicity, actorOf(request).departmentId, request.query.year),
  );

  app.get(
    '/api/statistics/report',
    {
      config: { access: ['legal_admin', 'chief'] },
      schema: {
        tags: [TAG],
        summary: '本机关某年度统计的报送与公开情况、报送记录和最近一次报送的快照',
        querystring: YearQuery,
        response: { 200: OwnReport, ...stdErrors },
      },
    },
    async (request) => ownReport(app.publicity, actorOf(request).departmentId, request.query.year),
  );

  app.post(
    '/api/statistics/submit',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: [TAG],
        summary: '向司法行政部门报送本机关已结束年度的统计（1月15日前；公开前可重新报送）',
        description:
          '报送时计算并保存统计快照；首次报送晚于次年1月15日（北京时间）的记为逾期报送。已公开的年度不能再报送。',
        body: YearQuery,
        response: { 200: OwnReport, ...stdErrors, ...errors(409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await submitAnnualReport(app.publicity, actor, request.body.year);
      return ownReport(app.publicity, actor.departmentId, request.body.year);
    },
  );

  app.post(
    '/api/statistics/publish',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: [TAG],
        summary: '向社会公开本机关已报送的年度统计（1月31日前）',
        description: '公开最近一次报送的快照；晚于次年1月31日（北京时间）的记为逾期公开。',
        body: YearQuery,
        response: { 200: OwnReport, ...stdErrors, ...errors(409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await publishAnnualReport(app.publicity, actor, request.body.year);
      return ownReport(app.publicity, actor.departmentId, request.body.year);
    },
  );

  app.get(
    '/api/public/statistics',
    {
      config: { access: 'public' },
      schema: {
        tags: [PUBLIC_TAG],
        summary: '某年度各执法机关已公开的统计与合计',
        querystring: YearQuery,
        response: { 200: Report, ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PUBLIC_CACHE);
      return withIsoDates(await yearReports(app.publicity, request.query.year, { publishedOnly: true }));
    },
  );

  app.get(
    '/api/public/statistics.csv',
    {
      config: { access: 'public' },
      schema: {
        tags: [PUBLIC_TAG],
        summary: '年度统计导出（CSV，仅已公开的报告）',
        querystring: YearQuery,
        produces: ['text/csv'],
        response: { 200: CsvResponse, ...errors(400) },
      },
    },
    async (request, reply) => {
      const { year } = request.query;
      const table = figuresTable(await yearReports(app.publicity, year, { publishedOnly: true }));
      return reply
        .header('cache-control', PUBLIC_CACHE)
        .header('content-disposition', attachment(`${year}年度行政执法统计.csv`, `statistics-${year}.csv`))
        .type('text/csv; charset=utf-8')
        .send(tableCsv(table));
    },
  );

  app.get(
    '/api/public/statistics.xlsx',
    {
      config: { access: 'public' },
      schema: {
        tags: [PUBLIC_TAG],
        summary: '年度统计导出（Excel，仅已公开的报告）',
        querystring: YearQuery,
        produces: [XLSX_TYPE],
        response: { 200: XlsxResponse, ...errors(400) },
      },
    },
    async (request, reply) => {
      const { year } = request.query;
      const table = figuresTable(await yearReports(app.publicity, year, { publishedOnly: true }));
      const names = { fileName: `${year}年度行政执法统计.xlsx`, fallback: `statistics-${year}.xlsx` };
      return sendXlsx(reply, await tablesXlsx([table], app.clock.now()), names, PUBLIC_CACHE);
    },
  );

  await app.register(supervisorStatisticsRoutes);
};
