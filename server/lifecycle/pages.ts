import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { visibleCase } from '../cases/service.js';
import type { CaseRow } from '../cases/tables.js';
import { AppError, statusOf } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { type Actor, hasRole } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { eventFromForm } from './form.js';
import { EXECUTION_MODES, SERVICE_METHODS } from './kinds.js';
import { recordStageEvent } from './service.js';
import { lifecycleView } from './view.js';

const VIEW = '../../lifecycle/views/stages.hbs';
const READERS = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;
const options = (o: Record<string, string>) => Object.entries(o).map(([code, label]) => ({ code, label }));

function caseIdParam(params: unknown): string {
  const { id } = params as { id: string };
  if (!UUID.test(id)) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  return id;
}

/** 办案环节: the case's stages, limits and flags, and the forms the handling officer records them with. */
export const lifecyclePages: FastifyPluginAsync = async (app) => {
  const render = async (reply: FastifyReply, actor: Actor, c: CaseRow, formError?: string) => {
    const view = await lifecycleView(app.db, c, app.clock.now());
    const own = c.department_id === actor.departmentId;
    return app.renderPage(
      reply,
      VIEW,
      {
        title: `${c.case_number} 办案环节`,
        headExtra:
          '<link rel="stylesheet" href="/assets/case.css">\n  <script src="/assets/case-upload.js" defer></script>',
        c: { id: c.id, caseNumber: c.case_number, title: c.title, category: c.category },
        v: view,
        today: instantToShanghaiDate(app.clock.now()),
        mayRecord: own && hasRole(actor, 'officer') && !view.archivedOn,
        mayExtend: own && hasRole(actor, 'chief') && !!view.filedOn && !view.extension && !view.decided,
        openStages: view.stages.filter((s) => s.status === 'open' && s.kind !== 'hearing'),
        hearing: view.stages.filter((s) => s.kind === 'hearing').at(-1) ?? null,
        methods: options(SERVICE_METHODS),
        modes: options(EXECUTION_MODES),
        formError,
      },
      actor,
    );
  };

  app.get('/cases/:id/stages', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, READERS);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    return render(reply, actor, c);
  });

  app.post('/cases/:id/stages', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['officer', 'chief']);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    try {
      const e = eventFromForm((request.body ?? {}) as Record<string, unknown>);
      await recordStageEvent(app.lifecycle, actor, c.id, e);
    } catch (err) {
      if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
      reply.status(statusOf(err));
      return render(reply, actor, c, err.message);
    }
    return reply.redirect(`/cases/${c.id}/stages`, 303);
  });
};
