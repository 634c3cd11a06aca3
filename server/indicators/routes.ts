import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import {
  attachment,
  type ExportTable,
  sendXlsx,
  tableCsv,
  tablesXlsx,
  XLSX_TYPE,
} from '../publicity/statistics/exports.js';
import { CsvResponse, XlsxResponse } from '../publicity/statistics/schemas.js';
import { INDICATOR_KEYS, INDICATORS, type IndicatorKey } from './definitions.js';
import { casesBehind, indicatorTable } from './service.js';

const TAGS = ['评议考核指标'];
const ACCESS = ['supervisor', 'admin', 'legal_admin', 'chief'] as const;
const PRIVATE = 'private, no-store';
const Key = Type.Unsafe<IndicatorKey>(Type.Union(INDICATOR_KEYS.map((k) => Type.Literal(k))));
const Query = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2199 }),
  departmentId: Type.Optional(Uuid),
});
const FigureSchema = Type.Object({
  total: Type.Integer(),
  met: Type.Integer(),
  rate: Type.Union([Type.Number(), Type.Null()]),
});
const Figures = Type.Object(
  Object.fromEntries(INDICATOR_KEYS.map((k) => [k, FigureSchema])) as Record<IndicatorKey, typeof FigureSchema>,
);
export const IndicatorTableSchema = Type.Object({
  year: Type.Integer(),
  indicators: Type.Array(
    Type.Object({
      key: Key,
      subject: Type.String(),
      label: Type.String(),
      better: Type.String(),
      definition: Type.String(),
    }),
  ),
  agencies: Type.Array(Type.Object({ departmentId: Uuid, departmentName: Type.String(), figures: Figures })),
  overall: Figures,
});

/** The indicator table as an export: one row per agency, count and rate per indicator. */
export function indicatorExport(t: Awaited<ReturnType<typeof indicatorTable>>): ExportTable {
  const header = ['执法机关', ...INDICATOR_KEYS.flatMap((k) => [`${INDICATORS[k].label}（%）`, '分子', '分母'])];
  const line = (name: string, f: (typeof t)['overall']) => [
    name,
    ...INDICATOR_KEYS.flatMap((k) => [f[k].rate, f[k].met, f[k].total]),
  ];
  return {
    sheet: `${t.year}年度评议考核指标`,
    header,
    rows: [...t.agencies.map((a) => line(a.departmentName, a.figures)), line('合计', t.overall)],
  };
}

export const indicatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/indicators',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: `评议考核指标：各机关某年度的${INDICATOR_KEYS.map((k) => INDICATORS[k].label).join('、')}`,
        querystring: Query,
        response: { 200: IndicatorTableSchema, ...stdErrors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PRIVATE);
      const { year, departmentId } = request.query;
      return indicatorTable(app.db, actorOf(request), year, app.clock.now(), departmentId);
    },
  );

  app.get(
    '/api/indicators/cases',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '指标所依据的案件（可只列未达标的）',
        querystring: Type.Object({
          year: Type.Integer({ minimum: 2000, maximum: 2199 }),
          indicator: Key,
          departmentId: Type.Optional(Uuid),
          against: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                subject: Type.Union([Type.Literal('case'), Type.Literal('complaint'), Type.Literal('supervision')], {
                  description: '所依据的是案件、投诉举报（投诉举报按期答复率）还是监督意见（监督意见按期办结率）',
                }),
                href: Type.String({ description: '工作台中查看的地址' }),
                caseId: Type.Union([Uuid, Type.Null()], {
                  description: '所涉案件；投诉举报和针对机关执法工作的监督意见为 null',
                }),
                supervisionId: Type.Union([Uuid, Type.Null()], { description: '监督意见（仅监督意见按期办结率）' }),
                caseNumber: Type.String({ description: '案件编号；投诉举报为受理编号，无案件的监督意见为其文书文号' }),
                title: Type.String(),
                departmentId: Uuid,
                met: Type.Boolean(),
              }),
            ),
          }),
          ...stdErrors,
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PRIVATE);
      const { year, indicator, departmentId, against } = request.query;
      return {
        items: await casesBehind(app.db, actorOf(request), {
          key: indicator,
          year,
          now: app.clock.now(),
          departmentId,
          against,
        }),
      };
    },
  );

  app.get(
    '/api/indicators.csv',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '评议考核指标导出（CSV）',
        querystring: Query,
        produces: ['text/csv'],
        response: { 200: CsvResponse, ...stdErrors },
      },
    },
    async (request, reply) => {
      const { year, departmentId } = request.query;
      const t = await indicatorTable(app.db, actorOf(request), year, app.clock.now(), departmentId);
      return reply
        .header('cache-control', PRIVATE)
        .header('content-disposition', attachment(`${year}年度评议考核指标.csv`, `indicators-${year}.csv`))
        .type('text/csv; charset=utf-8')
        .send(tableCsv(indicatorExport(t)));
    },
  );

  app.get(
    '/api/indicators.xlsx',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '评议考核指标导出（Excel）',
        querystring: Query,
        produces: [XLSX_TYPE],
        response: { 200: XlsxResponse, ...stdErrors },
      },
    },
    async (request, reply) => {
      const { year, departmentId } = request.query;
      const t = await indicatorTable(app.db, actorOf(request), year, app.clock.now(), departmentId);
      const names = { fileName: `${year}年度评议考核指标.xlsx`, fallback: `indicators-${year}.xlsx` };
      return sendXlsx(reply, await tablesXlsx([indicatorExport(t)], app.clock.now()), names, PRIVATE);
    },
  );
};
