import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import {
  MAX_LABEL_LENGTH,
  MAX_OWN_POINTS,
  pointListChanges,
  pointListFrom,
  pointListsOf,
  savePointList,
} from './point-lists.js';
import { OPTIONAL_POINTS, REVIEW_POINTS, resolvePoints } from './review-points.js';

const Point = Type.Object({
  key: Type.String({ description: '要点代码（表单字段 finding_<代码> / note_<代码>）' }),
  label: Type.String({ description: '要点名称' }),
});
const Labels = Type.Array(Type.String({ minLength: 1, maxLength: MAX_LABEL_LENGTH }), {
  title: '自设审核要点',
  maxItems: MAX_OWN_POINTS,
  description: '本机关自设的审核要点名称，按顺序（排在“其他”之前）',
});
const ItemCode = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const Omitted = Type.Array(Type.String({ maxLength: 40 }), {
  maxItems: 5,
  description: `设为不适用的默认要点代码（仅可：${OPTIONAL_POINTS.join('、')}）`,
});

const PointLists = Type.Object({
  defaults: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      optional: Type.Boolean({ description: '本机关可否设为不适用（118号规定的审核内容不可）' }),
    }),
    { description: '默认审核要点（国办发〔2018〕118号）' },
  ),
  department: Type.Object({ points: Type.Array(Point), omitted: Type.Array(Type.String()) }),
  items: Type.Array(
    Type.Object({ itemCode: Type.String(), points: Type.Array(Point), omitted: Type.Array(Type.String()) }),
  ),
  points: Type.Array(Point, { description: '本机关案件（未对应目录事项时）审核所用的要点清单' }),
});

/** A department's review points (审核要点), kept by its legal unit; reviewers and officers may read them. */
export const pointRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function view(departmentId: string) {
    const lists = await pointListsOf(app.db, departmentId);
    const own = lists.get('') ?? { points: [], omitted: [] };
    return {
      defaults: REVIEW_POINTS.map((p) => ({ ...p, optional: OPTIONAL_POINTS.includes(p.key) })),
      department: own,
      items: [...lists.entries()]
        .filter(([code]) => code)
        .map(([itemCode, l]) => ({ itemCode, points: l.points, omitted: l.omitted })),
      points: resolvePoints(own),
    };
  }

  app.get(
    '/api/review-points',
    {
      config: { access: ['officer', 'reviewer', 'chief', 'legal_admin'] },
      schema: {
        tags: ['法制审核'],
        summary: '本机关的审核要点清单',
        querystring: Type.Object({ itemCode: Type.Optional(ItemCode) }),
        response: {
          200: Type.Intersect([
            PointLists,
            Type.Object({ itemPoints: Type.Optional(Type.Array(Point, { description: '该目录事项的要点清单' })) }),
          ]),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const out = await view(actor.departmentId);
      const code = request.query.itemCode;
      if (!code) return out;
      const lists = await pointListsOf(app.db, actor.departmentId);
      return { ...out, itemPoints: resolvePoints(lists.get(''), lists.get(code)) };
    },
  );

  app.put(
    '/api/review-points',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['法制审核'],
        summary: '设置本机关的审核要点（118号规定的要点不可删除）',
        body: Type.Object({
          points: Labels,
          omitted: Omitted,
        }),
        response: { 200: PointLists, ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const list = pointListFrom(request.body.points, request.body.omitted);
      await savePointList(app.db, actor.departmentId, '', list, actor.id);
      return view(actor.departmentId);
    },
  );

  app.put(
    '/api/review-points/items/:itemCode',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['法制审核'],
        summary: '设置某一目录事项另加的审核要点（空列表即取消）',
        params: Type.Object({ itemCode: ItemCode }),
        body: Type.Object({ points: Labels, omitted: Type.Optional(Omitted) }),
        response: { 200: PointLists, ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const list = pointListFrom(request.body.points, request.body.omitted ?? []);
      await savePointList(app.db, actor.departmentId, request.params.itemCode, list, actor.id);
      return view(actor.departmentId);
    },
  );

  app.get(
    '/api/review-points/history',
    {
      config: { access: ['legal_admin'] },
      schema: {
        tags: ['法制审核'],
        summary: '本机关审核要点清单的变更记录（最近 50 次，新的在前）',
        response: {
          200: Type.Object({
            changes: Type.Array(
              Type.Object({
                itemCode: Type.String({ description: '目录事项编号；空为本机关清单' }),
                points: Type.Array(Point),
                omitted: Type.Array(Type.String()),
                changedBy: Type.String(),
                changedAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const changes = await pointListChanges(app.db, actorOf(request).departmentId);
      return { changes: changes.map((c) => ({ ...c, changedAt: c.changedAt.toISOString() })) };
    },
  );
};
