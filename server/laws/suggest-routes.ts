import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { powersListBases } from '../agency-profile/service.js';
import { visibleCase } from '../cases/service.js';
import type { CaseRow, Packet } from '../cases/tables.js';
import { getDepartmentCatalogue } from '../catalogue/service.js';
import { errors, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { createSuggester, type SuggestCategory, type Suggester, type Suggestion } from './suggest.js';

declare module 'fastify' {
  interface FastifyInstance {
    lawSuggest: Suggester;
  }
}

/** The article suggester of this process: its index is built on first use and rebuilt when the library changes. */
export const lawSuggestPlugin = fp(
  async (app) => {
    app.decorate('lawSuggest', createSuggester(app.db, app.segmenter, app.clock));
  },
  { name: 'law-suggest', dependencies: ['database', 'segmenter'] },
);

/** The legal bases a department declares: its powers list and its catalogue items (when it has deployed one). */
export async function departmentBases(app: FastifyInstance, departmentId: string) {
  const [powers, catalogue] = await Promise.all([
    powersListBases(app.db, departmentId),
    getDepartmentCatalogue({ db: app.db, cache: app.runtime.cache }, departmentId).catch(() => null),
  ]);
  return {
    powersBases: powers,
    catalogueBases: (catalogue?.items ?? []).map((i) => i.basis ?? '').filter(Boolean),
  };
}

/** Suggestions for a case's packet: its facts and title, its category, its department's bases and its own item's. */
export async function suggestionsForCase(
  app: FastifyInstance,
  c: Pick<CaseRow, 'department_id' | 'packet' | 'catalogue_item'>,
  limit = 8,
): Promise<Suggestion[]> {
  const p = c.packet as Packet;
  const bases = await departmentBases(app, c.department_id);
  const own = (c.catalogue_item as { basis?: unknown } | null)?.basis;
  if (typeof own === 'string' && own) bases.catalogueBases.push(own);
  return app.lawSuggest.suggest({ facts: p.factsFound, title: p.title, category: p.category, ...bases, limit });
}

const Category = Type.Union(
  [Type.Literal('licensing'), Type.Literal('penalty'), Type.Literal('coercion'), Type.Literal('levy')],
  { description: '决定类别' },
);
const Suggestions = Type.Object({
  items: Type.Array(
    Type.Object({
      articleId: Type.String(),
      lawId: Type.String(),
      lawTitle: Type.String(),
      article: Type.String({ description: '条号，如 第四十九条' }),
      number: Type.Integer(),
      sub: Type.Integer(),
      chapter: Type.Union([Type.String(), Type.Null()]),
      excerpt: Type.String(),
      score: Type.Number(),
      boosts: Type.Array(Type.String(), { description: '因职权事项清单或目录清单引用而提前的原因' }),
      href: Type.String(),
    }),
  ),
});
const Limit = Type.Integer({ minimum: 1, maximum: 30, default: 10 });

export const lawSuggestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['法律法规库'];

  app.get(
    '/api/laws/suggest',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '精准推送：按案件的事实、名称和类别推荐最相关的条文（本机关职权事项清单、目录清单引用的优先）',
        querystring: Type.Object({ caseId: Uuid, limit: Limit }),
        response: { 200: Suggestions, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const c = await visibleCase(app.cases, actorOf(request), request.query.caseId);
      return { items: await suggestionsForCase(app, c, request.query.limit) };
    },
  );

  app.post(
    '/api/laws/suggest',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '精准推送：按填写中的认定事实和决定类别推荐条文（送审表单使用）',
        body: Type.Object({
          facts: Type.String({ minLength: 1, maxLength: 20000, description: '认定的事实' }),
          title: Type.Optional(Type.String({ maxLength: 200, description: '案件名称' })),
          category: Type.Optional(Category),
          limit: Limit,
        }),
        response: { 200: Suggestions, ...stdErrors },
      },
    },
    async (request) => {
      const { facts, title, category, limit } = request.body;
      const bases = await departmentBases(app, actorOf(request).departmentId);
      const items = await app.lawSuggest.suggest({
        facts,
        title,
        category: category as SuggestCategory | undefined,
        ...bases,
        limit,
      });
      return { items };
    },
  );
};
