import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { floorRoutes } from './floor-routes.js';
import { CaseFactsSchema, CatalogueEvaluationSchema, DepartmentCatalogueSchema } from './schemas.js';
import { evaluateForDepartment, getDepartmentCatalogue } from './service.js';

export const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.db, cache: app.runtime.cache });
  await app.register(floorRoutes);

  app.get(
    '/api/departments/:id/catalogue',
    {
      // The catalogue is published (目录清单向社会公开): the publicity portal reads it without logging in.
      config: { access: 'public' },
      schema: {
        tags: ['目录清单'],
        summary: '执法机关的重大执法决定法制审核目录清单（最新部署的法制审核流程 legal_review 所载）',
        params: IdParams,
        response: { 200: DepartmentCatalogueSchema, ...errors(400, 404) },
      },
    },
    async (request) => {
      const catalogue = await getDepartmentCatalogue(deps(), request.params.id);
      return { ...catalogue, deployedAt: catalogue.deployedAt.toISOString() };
    },
  );

  app.post(
    '/api/departments/:id/catalogue/evaluate',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['目录清单'],
        summary: '按案件事实判定是否属于重大执法决定（是否必须经法制审核）及据以审核的目录事项',
        params: IdParams,
        body: CaseFactsSchema,
        response: { 200: CatalogueEvaluationSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const { catalogue, ...evaluation } = await evaluateForDepartment(deps(), request.params.id, request.body);
      return { ...evaluation, version: catalogue.version };
    },
  );
};
