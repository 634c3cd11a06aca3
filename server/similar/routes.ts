import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { visibleCase } from '../cases/service.js';
import type { Packet } from '../cases/tables.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { SimilarSearch } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's similar-cases searches (shared by the pages, the API and the 同案同罚 hint). */
    similar: SimilarSearch;
  }
}

export const similarPlugin = fp(
  async (app) => {
    const similar = new SimilarSearch(app.db, app.segmenter);
    app.decorate('similar', similar);
  },
  { name: 'similar', dependencies: ['database', 'segmenter'] },
);

const Num = Type.Union([Type.Number(), Type.Null()]);
const SimilarSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      caseId: Type.String(),
      caseNumber: Type.String(),
      title: Type.String(),
      agency: Type.String({ description: '作出决定的执法机关' }),
      decidedOn: Type.Union([Type.String(), Type.Null()]),
      articles: Type.Array(Type.String()),
      penalty: Type.Union([Type.Number(), Type.Null()], { description: '罚款金额（元）' }),
      score: Type.Number({ description: '相似度：共有特征的权重占本案的比例' }),
      party: Type.Object({ name: Type.String(), idCode: Type.String(), masked: Type.Boolean() }),
      href: Type.String(),
    }),
  ),
  proposal: Num,
  range: Type.Union([Type.Object({ min: Type.Number(), max: Type.Number(), cases: Type.Integer() }), Type.Null()]),
  outside: Type.Union([Type.Literal('below'), Type.Literal('above'), Type.Null()]),
  indexing: Type.Boolean({
    description: '相似案件索引尚在建立（如系统升级后）：结果只含已建立索引的已决案件，可能不全',
  }),
});

export const similarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/cases/:id/similar',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['送审案件'],
        summary: '同案同罚：本市最相似的已决案件及其罚款；拟处罚款超出其幅度时标明（其他机关的当事人信息脱敏）',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 30, default: 10 }) }),
        response: { 200: SimilarSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      return app.similar.search(
        { id: c.id, department_id: c.department_id, packet: c.packet as Packet, catalogue_item: c.catalogue_item },
        actor.departmentId,
        request.query.limit,
      );
    },
  );
};
