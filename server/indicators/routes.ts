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
import { INDICATOR_KEYS, INDICATORS } from './definitions.js';
import { casesBehind, indicatorTable } from './service.js';

const TAGS = ['评议考核指标'];
const ACCESS = ['supervisor', 'admin', 'legal_admin', 'chief'] as const;
const PRIVATE = 'private, no-store';
const Key = Type.Union([
  Type.Literal('review_coverage'),
  Type.Literal('review_on_time'),
  Type.Literal('disclosure_on_time'),
  Type.Literal('decisions_corrected'),
  Type.Literal('supervision_on_time'),
]);
const Query = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2199 }),
  departmentId: Type.Optional(Uuid),
});
const FigureSchema = Type.Object({
  total: Type.Integer(),
  met: Type.Integer(),
  rate: Type.Union([Type.Number(), Type.Null()]),
});
const Figures = Type.Object({
  review_coverage: FigureSchema,
  review_on_time: FigureSchema,
  disclosure_on_time: FigureSchema,
  decisions_corrected: FigureSchema,
  supervision_on_time: FigureSchema,
});
export const IndicatorTableSchema = Type.Object({
  year: Type.Integer(),
  indicators: Type.Array(
    Type.Object({ key: Key, label: Type.String(), better: Type.String(), definition: Type.String() }),
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
        summary: '评议考核指标：各机关某年度的审核覆盖率、审核按时率、按时公开率、复议诉讼纠错率、监督意见按期办结率',
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
                caseId: Type.Union([Uuid, Type.Null()], { description: '所涉案件；针对机关执法工作的监督意见为 null' }),
                supervisionId: Type.Union([Uuid, Type.Null()], { description: '监督意见（仅监督意见按期办结率）' }),
                caseNumber: Type.String({ description: '案件编号；无案件的监督意见为其文书文号' }),
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
