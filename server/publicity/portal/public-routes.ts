import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../http/errors.js';
import { errors, IdParams, Paging } from '../../http/schemas.js';
import { PUBLIC_CACHE } from '../../http/view-engine.js';
import {
  AgencyProfileSchema,
  AgencySchema,
  CertificateNumberParams,
  DecisionPage,
  DecisionSearchQuery,
  PublicCertificateSchema,
  PublicDecisionSchema,
  WithdrawnNoticeSchema,
} from '../schemas.js';
import { agencyProfile } from './agency.js';
import { CERTIFICATE_CACHE, normaliseCertificateNumber, verifyCertificate } from './certificates.js';
import { decisionsCsv } from './exports.js';
import { findPublished, listAgencies, listWithdrawn, searchPublished } from './search.js';

/** Public pages may be cached briefly by browsers and proxies; withdrawal shows within a minute. */
const EXPORT_MAX = 5000;

export function searchFrom(query: {
  q?: string;
  party?: string;
  agency?: string;
  category?: 'licensing' | 'penalty' | 'coercion' | 'levy' | 'inspection';
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}) {
  return {
    q: query.q?.trim() || undefined,
    party: query.party?.trim() || undefined,
    departmentId: query.agency,
    category: query.category,
    from: query.from,
    to: query.to,
    limit: query.limit,
    offset: query.offset,
  };
}

/** The portal's JSON API (no login): agencies, officers, certificates, catalogue, published decisions, CSV. */
export const publicApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['公示平台（公开）'];
  app.get(
    '/api/public/agencies',
    {
      config: { access: 'public' },
      schema: { tags, summary: '执法主体清单', response: { 200: Type.Array(AgencySchema) } },
    },
    async (_request, reply) => {
      reply.header('cache-control', PUBLIC_CACHE);
      return (await listAgencies(app.db)).map((a) => ({ id: a.id, code: a.code, name: a.name }));
    },
  );

  app.get(
    '/api/public/agencies/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '执法机关公示：执法人员（姓名、执法证号、执法领域）与重大执法决定法制审核目录清单',
        params: IdParams,
        response: { 200: AgencyProfileSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PUBLIC_CACHE);
      return agencyProfile({ ...app.publicity, cache: app.runtime.cache }, request.params.id);
    },
  );

  app.get(
    '/api/public/decisions',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '检索已公开的执法决定（当事人、执法机关、类别、日期、全文）',
        querystring: DecisionSearchQuery,
        response: { 200: DecisionPage, ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PUBLIC_CACHE);
      return searchPublished(app.db, searchFrom(request.query));
    },
  );

  app.get(
    '/api/public/decisions.csv',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: `导出检索结果（CSV，最多 ${EXPORT_MAX} 条）`,
        querystring: Type.Omit(DecisionSearchQuery, ['limit', 'offset']),
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv; charset=utf-8' }), ...errors(400) },
      },
    },
    async (request, reply) => {
      const page = await searchPublished(app.db, searchFrom({ ...request.query, limit: EXPORT_MAX, offset: 0 }));
      return reply
        .header('cache-control', PUBLIC_CACHE)
        .header('content-disposition', 'attachment; filename="decisions.csv"')
        .type('text/csv; charset=utf-8')
        .send(decisionsCsv(page.items));
    },
  );

  app.get(
    '/api/public/decisions/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '已公开执法决定详情',
        params: IdParams,
        response: { 200: PublicDecisionSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const d = await findPublished(app.db, request.params.id);
      if (!d) throw new AppError(404, 'NOT_FOUND', '该决定未公开或已撤下');
      reply.header('cache-control', PUBLIC_CACHE);
      return d;
    },
  );

  app.get(
    '/api/public/withdrawals',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '撤回说明：被变更、撤销、确认违法或无效而撤回的执法决定信息及撤回理由',
        querystring: Paging,
        response: { 200: Type.Object({ items: Type.Array(WithdrawnNoticeSchema) }), ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', PUBLIC_CACHE);
      return { items: await listWithdrawn(app.db, request.query) };
    },
  );

  app.get(
    '/api/public/certificates/:number',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '执法证件查询（亮证核验）：持证人姓名、执法机关、执法领域、有效期与状态',
        params: CertificateNumberParams,
        response: { 200: PublicCertificateSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const number = normaliseCertificateNumber(request.params.number);
      if (!number) throw new AppError(400, 'VALIDATION_FAILED', '执法证号格式不正确');
      const certificate = await verifyCertificate(app.publicity, number);
      if (!certificate) throw new AppError(404, 'NOT_FOUND', '本系统未登记该执法证号', { number });
      reply.header('cache-control', CERTIFICATE_CACHE);
      return certificate;
    },
  );
};
