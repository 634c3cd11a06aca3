import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { catalogueGaps } from './coverage.js';
import { addFloorItem, type FloorItem, listFloor, removeFloorItem, updateFloorItem } from './floor.js';
import { CategorySchema, MAX_REVIEW_WORKING_DAYS, MIN_REVIEW_WORKING_DAYS } from './vocabulary.js';

const Days = Type.Integer({
  minimum: MIN_REVIEW_WORKING_DAYS,
  maximum: MAX_REVIEW_WORKING_DAYS,
  description: '审核时限（工作日）',
});
const Categories = Type.Array(CategorySchema, { minItems: 1, uniqueItems: true, description: '适用的执法决定类别' });
const Situation = Type.String({ minLength: 1, maxLength: 100, description: '情形，如 涉及重大公共利益' });
const Condition = Type.String({ minLength: 1, maxLength: 500, description: '适用条件（FEEL，变量为案件事实）' });
const Basis = Type.Union([Type.String({ maxLength: 300 }), Type.Null()], { description: '法律依据' });

const FloorItemSchema = Type.Object(
  {
    code: Type.String({ description: '事项编号' }),
    situation: Situation,
    condition: Condition,
    categories: Categories,
    reviewWorkingDays: Days,
    basis: Basis,
    statutory: Type.Boolean({ description: '法定情形（不能删除或缩小）' }),
    updatedAt: IsoDateTime,
  },
  { description: '全市法制审核底线目录事项' },
);

const out = (f: FloorItem) => ({ ...f, updatedAt: f.updatedAt.toISOString() });
const CodeParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: '事项编号' }) });
const KEEPERS = ['admin', 'supervisor'] as const;

/** The city-wide floor catalogue (全市法制审核底线目录), kept by the justice bureau; every department's cases are judged by it. */
export const floorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/review-floor',
    {
      // Published like the departments' catalogues.
      config: { access: 'public' },
      schema: {
        tags: ['目录清单'],
        summary: '全市法制审核底线目录（行政处罚法第五十八条及实施方案所列情形，适用于各执法机关的四类执法决定）',
        response: { 200: Type.Object({ items: Type.Array(FloorItemSchema) }) },
      },
    },
    async () => ({ items: (await listFloor(app.db)).map(out) }),
  );

  app.post(
    '/api/review-floor',
    {
      config: { access: [...KEEPERS] },
      schema: {
        tags: ['目录清单'],
        summary: '在全市法制审核底线目录中增加情形',
        body: Type.Object({
          code: CodeParams.properties.code,
          situation: Situation,
          condition: Condition,
          categories: Categories,
          reviewWorkingDays: Days,
          basis: Type.Optional(Basis),
        }),
        response: { 201: FloorItemSchema, ...stdErrors, ...errors(409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(out(await addFloorItem(app.db, actorOf(request).id, request.body))),
  );

  app.patch(
    '/api/review-floor/:code',
    {
      config: { access: [...KEEPERS] },
      schema: {
        tags: ['目录清单'],
        summary: '修改底线目录事项（法定情形只能调整审核时限和依据）',
        params: CodeParams,
        body: Type.Object(
          {
            situation: Type.Optional(Situation),
            condition: Type.Optional(Condition),
            categories: Type.Optional(Categories),
            reviewWorkingDays: Type.Optional(Days),
            basis: Type.Optional(Basis),
          },
          { minProperties: 1 },
        ),
        response: { 200: FloorItemSchema, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => out(await updateFloorItem(app.db, actorOf(request).id, request.params.code, request.body)),
  );

  app.delete(
    '/api/review-floor/:code',
    {
      config: { access: [...KEEPERS] },
      schema: {
        tags: ['目录清单'],
        summary: '删除增设的底线目录事项（法定情形不能删除）',
        params: CodeParams,
        response: { 204: Type.Null(), ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      await removeFloorItem(app.db, request.params.code);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/review-floor/gaps',
    {
      config: { access: [...KEEPERS] },
      schema: {
        tags: ['目录清单'],
        summary: '目录清单未覆盖其职权类别的执法机关（有该类职权而本机关目录清单无该类事项）',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                departmentId: Uuid,
                departmentName: Type.String(),
                deployed: Type.Boolean({ description: '是否已部署法制审核流程' }),
                missing: Type.Array(Type.Object({ category: CategorySchema, label: Type.String() })),
              }),
            ),
          }),
          ...stdErrors,
        },
      },
    },
    async () => ({ items: await catalogueGaps({ db: app.db, cache: app.runtime.cache }) }),
  );
};
