import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../http/access.js';
import { errors, stdErrors } from '../http/schemas.js';
import { PUBLIC_CACHE } from './public-routes.js';
import { computeFigures, reportsCsv, submitAnnualReport, yearReports } from './statistics.js';

const Count = Type.Integer({ minimum: 0 });
const Figures = Type.Object({
  decisions: Type.Record(Type.String(), Count, { description: '按类别的执法决定数' }),
  reviews: Type.Object({ total: Count, approved: Count, returned: Count, disapproved: Count, transferred: Count }),
  averageReviewDays: Type.Union([Type.Number(), Type.Null()], { description: '平均审核时长（自然日）' }),
  disclosures: Type.Object({ total: Count, published: Count, onTime: Count, overdue: Count, withdrawn: Count }),
});
const Report = Type.Object({
  year: Type.Integer(),
  agencies: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), figures: Figures })),
  total: Figures,
});
const YearQuery = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2199 }) });

/** 年度统计: an agency's own figures, its submission, and the published city-wide report (public). */
export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/statistics/own',
    {
      config: { access: ['legal_admin', 'chief'] },
      schema: {
        tags: ['年度统计'],
        summary: '本机关某年度的执法统计（实时计算，未报送）',
        querystring: YearQuery,
        response: { 200: Figures, ...stdErrors },
      },
    },
    async (request) => computeFigures(app.publicity, actorOf(request).departmentId, request.query.year),
  );

  app.post(
    '/api/statistics/submit',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['年度统计'],
        summary: '报送并公开本机关上一年度统计（1月15日前报送、1月31日前公开）',
        body: YearQuery,
        response: { 200: Figures, ...stdErrors, ...errors(409) },
      },
    },
    async (request) => submitAnnualReport(app.publicity, actorOf(request), request.body.year),
  );

  app.get(
    '/api/public/statistics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['公示平台（公开）'],
        summary: '某年度各执法机关已报送的统计与全市汇总',
        querystring: YearQuery,
        response: { 200: Report, ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PUBLIC_CACHE);
      return yearReports(app.publicity, request.query.year);
    },
  );

  app.get(
    '/api/public/statistics.csv',
    {
      config: { access: 'public' },
      schema: {
        tags: ['公示平台（公开）'],
        summary: '年度统计导出（CSV）',
        querystring: YearQuery,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errors(400) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', PUBLIC_CACHE)
        .header('content-disposition', `attachment; filename="statistics-${request.query.year}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(reportsCsv(await yearReports(app.publicity, request.query.year))),
  );
};
