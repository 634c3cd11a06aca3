import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { OPEN_CASE_STATUSES, openCasesByStatus, reviewerLoad } from '../../cases/reads.js';
import { deadlineState, dueSoonBoundary } from '../../engine/deadlines.js';
import { AppError, statusOf } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { CASE_STATUS_LABELS } from '../../http/view-engine.js';
import type { Actor } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { supervisionItems } from '../../supervision/view.js';
import { decideExtension } from '../../tasks/deadlines.js';
import { openTaskStates, pendingExtensions, reviewSpans, urgentTasks } from '../../tasks/task-stats.js';
import { barPercent, reviewTime } from './stats.js';
import { REVIEWER_KIND_LABELS, staffingView } from './stats-labels.js';
import { departmentStaffing } from './stats-queries.js';

const ROLES = ['legal_admin', 'chief'] as const;
const PERIODS = [
  { days: 30, label: '近 30 天' },
  { days: 90, label: '近 90 天' },
  { days: 365, label: '近一年' },
];
const URGENT_LIMIT = 15;
const HEAD = '<link rel="stylesheet" href="/assets/stats.css">';

export const dashboardPages: FastifyPluginAsync = async (app) => {
  /** Everything the legal unit's dashboard shows for the actor's own department. */
  async function dashboard(actor: Actor, periodDays: number) {
    const now = app.clock.now();
    const calendar = await app.calendar.calendarFor(app.db);
    const soon = dueSoonBoundary(calendar, now);
    const since = new Date(now.getTime() - periodDays * 86_400_000);
    const dept = actor.departmentId;
    const [byStatus, states, urgent, spans, reviewers, staffing, extensions, supervision] = await Promise.all([
      openCasesByStatus(app.db, dept),
      openTaskStates(app.db, now, soon, dept),
      urgentTasks(app.db, dept, soon, URGENT_LIMIT),
      reviewSpans(app.db, dept, since),
      reviewerLoad(app.db, dept, now),
      departmentStaffing(app.db, dept),
      pendingExtensions(app.db, dept),
      // 监督意见 and 纠正通知 addressed to the agency that it has still to answer.
      supervisionItems(app.db, { departmentId: dept, openOnly: true }, now),
    ]);
    const maxStatus = Math.max(0, ...byStatus.values());
    const maxLoad = Math.max(0, ...reviewers.map((r) => r.openTasks));
    return {
      statuses: OPEN_CASE_STATUSES.map((code) => {
        const count = byStatus.get(code) ?? 0;
        return { code, label: CASE_STATUS_LABELS[code], count, bar: barPercent(count, maxStatus) };
      }),
      openCases: [...byStatus.values()].reduce((a, b) => a + b, 0),
      states,
      urgent: urgent.map((t) => {
        const light = deadlineState(calendar, t, now);
        return { ...t, state: light.state, remaining: light.remainingWorkingDays };
      }),
      urgentMore: states.overdue + states.due_soon > urgent.length,
      review: reviewTime(calendar, spans),
      reviewers: reviewers.map((r) => ({
        ...r,
        kindLabel: REVIEWER_KIND_LABELS[r.reviewerKind ?? 'staff'],
        bar: barPercent(r.openTasks, maxLoad),
      })),
      staffing: staffing[0] ? staffingView(staffing[0]) : null,
      extensions: extensions.map((e) => ({ ...e, own: e.requested_by === actor.id, open: e.task_status === 'open' })),
      supervision,
    };
  }

  async function render(
    reply: FastifyReply,
    actor: Actor,
    q: Record<string, string | undefined>,
    flash?: { kind: string; text: string },
  ) {
    const period = PERIODS.find((p) => String(p.days) === q.period) ?? PERIODS[2];
    return app.renderPage(
      reply,
      'dashboard.hbs',
      {
        title: '法制机构工作台',
        headExtra: HEAD,
        ...(await dashboard(actor, period.days)),
        period,
        periods: PERIODS.map((p) => ({ ...p, selected: p.days === period.days })),
        generatedAt: app.clock.now(),
        flash,
      },
      actor,
    );
  }

  app.get('/legal', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const flash =
      q.extension === 'approved'
        ? { kind: 'ok', text: '已批准延期，任务期限已重新计算。' }
        : q.extension === 'rejected'
          ? { kind: 'ok', text: '已驳回延期申请。' }
          : undefined;
    return render(reply, actor, q, flash);
  });

  app.post(
    '/legal/extensions/:id/decision',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const body = request.body as Record<string, string | undefined>;
      if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '延期申请不存在');
      if (body.decision !== 'approve' && body.decision !== 'reject') {
        throw new AppError(400, 'VALIDATION_FAILED', '请选择批准或驳回');
      }
      const note = (body.note ?? '').trim();
      try {
        if (note.length > 2000) throw new AppError(400, 'VALIDATION_FAILED', '审批意见不能超过 2000 字');
        if (body.decision === 'reject' && !note) throw new AppError(400, 'VALIDATION_FAILED', '驳回延期申请须写明理由');
        const r = await decideExtension(app.runtime, actor, id, {
          approved: body.decision === 'approve',
          note: note || undefined,
        });
        return reply.redirect(`/legal?extension=${r.status}#extensions`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        reply.status(statusOf(err));
        return render(reply, actor, {}, { kind: 'error', text: `未能处理延期申请：${err.message}` });
      }
    },
  );
};
