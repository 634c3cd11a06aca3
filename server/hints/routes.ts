import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { visibleCase } from '../cases/service.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { csrfGuard } from '../modeler/csrf.js';
import { HintList, HintSchema, KeyParams, MarkBody } from './schemas.js';
import { caseHints, hintContext, markHint } from './service.js';

const tags = ['争议焦点提示'];

/** 争议焦点自动提示: the list of a case (its department, the supervisors, its reviewer) and the reviewer's marks. */
export const hintRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = csrfGuard(app);
  const ctx = () => hintContext(app);

  app.get(
    '/api/cases/:id/hints',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '案件的争议焦点提示（引用问题、金额不一致、证据缺失、程序缺口等），附审核人员的标记',
        params: IdParams,
        response: { 200: HintList, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const c = await visibleCase(app.cases, actorOf(request), request.params.id);
      return {
        caseId: c.id,
        hints: await caseHints(ctx(), c, undefined, (err) => request.log.warn({ err }, 'hint source failed')),
      };
    },
  );

  app.put(
    '/api/cases/:id/hints/:key',
    {
      config: { access: 'authenticated' },
      preHandler: guard,
      schema: {
        tags,
        summary: '本案法制审核人员将一条提示标记为已处理或不适用（附说明，记入案件记录）',
        params: KeyParams,
        body: MarkBody,
        response: { 200: HintSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await visibleCase(app.cases, actor, request.params.id);
      return markHint(ctx(), actor, c, request.params.key, {
        status: request.body.status,
        note: request.body.note ?? '',
      });
    },
  );
};
