import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { deployChecks } from '../definitions/validate.js';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { type Actor, hasRole, readsAllDepartments } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { catalogueDiffHtml, flowDiffHtml, flowDiffSummary } from './diff-html.js';
import * as q from './queries.js';
import { mayRead } from './routes.js';
import { approveDeployment, type GovernanceContext, rejectDeployment, requireRequest } from './service.js';

const VIEW = (name: string) => `../../governance/views/${name}.hbs`;
const ROLES = ['legal_admin', 'supervisor', 'admin'] as const;

export const STATUS_LABELS: Record<string, string> = {
  pending: '待审批',
  approved: '已批准并部署',
  rejected: '已驳回',
  direct: '运维直接部署',
};

const FLASH: Record<string, { kind: 'ok' | 'warn'; text: string }> = {
  approved: { kind: 'ok', text: '已批准，新版本已部署；办理中的案件仍按原版本运行。' },
  rejected: { kind: 'warn', text: '已驳回，未部署。' },
};

type FormBody = Record<string, string | undefined>;

/**
 * 流程目录变更: the legal unit's requests to decide (approve or reject, never one's own) and the justice
 * bureau's view of every department's recent flow and catalogue changes, each with its item-level diff.
 */
export const governancePages: FastifyPluginAsync<{ governance: GovernanceContext }> = async (app, opts) => {
  const ctx = opts.governance;

  app.get('/changes', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const all = readsAllDepartments(actor);
    const rows = await q.listRequests(app.db, { departmentId: all ? undefined : actor.departmentId, limit: 100 });
    return app.renderPage(
      reply,
      VIEW('changes'),
      {
        title: '流程与目录变更',
        all,
        pending: rows.filter((r) => r.status === 'pending').map((r) => summary(r, actor)),
        decided: rows.filter((r) => r.status !== 'pending').map((r) => summary(r, actor)),
      },
      actor,
    );
  });

  async function detail(reply: FastifyReply, actor: Actor, id: string, flash?: { kind: string; text: string }) {
    const row = await requireRequest(app.db, id);
    if (!mayRead(actor, row.department_id)) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
    const mayDecide =
      row.status === 'pending' && hasRole(actor, 'legal_admin') && actor.departmentId === row.department_id;
    return app.renderPage(
      reply,
      VIEW('change'),
      {
        title: `部署申请 · ${row.name}`,
        flash,
        r: summary(row, actor),
        catalogueDiff: catalogueDiffHtml(row.catalogue_diff),
        flowDiff:
          row.base_version === null ? '<p class="muted">首次部署，无可比较的版本。</p>' : flowDiffHtml(row.flow_diff),
        own: row.submitted_by === actor.id,
        mayDecide: mayDecide && row.submitted_by !== actor.id,
      },
      actor,
    );
  }

  app.get('/changes/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
    const done = (request.query as Record<string, string | undefined>).done ?? '';
    return detail(reply, actor, id, FLASH[done]);
  });

  for (const act of ['approve', 'reject'] as const) {
    app.post(
      `/changes/:id/${act}`,
      { schema: { hide: true }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const actor = await app.pageActor(request, reply, ['legal_admin']);
        if (!actor) return reply;
        const { id } = request.params as { id: string };
        if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
        try {
          if (act === 'approve') {
            await approveDeployment(
              ctx,
              id,
              actor,
              deployChecks(app.config, app.runtime.serviceNames, app.clock.now()),
            );
          } else {
            await rejectDeployment(ctx, id, actor, (request.body as FormBody).reason ?? '');
          }
        } catch (err) {
          // A refusal (one's own request, already decided, out of date) is shown on the request's page.
          if (!(err instanceof DomainError) || (err instanceof AppError && err.statusCode === 404)) throw err;
          reply.status(err instanceof AppError ? err.statusCode : 409);
          return detail(reply, actor, id, { kind: 'warn', text: err.message });
        }
        return reply.redirect(`/changes/${id}?done=${act === 'approve' ? 'approved' : 'rejected'}`, 303);
      },
    );
  }
};

function summary(r: q.RequestView, actor: Actor) {
  const d = r.catalogue_diff;
  return {
    id: r.id,
    departmentName: r.department_name,
    processKey: r.process_key,
    name: r.name,
    baseVersion: r.base_version,
    version: r.version,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    note: r.change_note,
    submittedByName: r.submitted_by_name ?? '运维人员',
    submittedAt: r.submitted_at,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at,
    reason: r.reason,
    mine: r.submitted_by === actor.id,
    catalogueSummary:
      d.added.length + d.removed.length + d.changed.length === 0
        ? '目录清单无变化'
        : `目录清单新增 ${d.added.length} 项、删除 ${d.removed.length} 项、修改 ${d.changed.length} 项`,
    flowSummary: flowDiffSummary(r.flow_diff, r.base_version === null),
  };
}
