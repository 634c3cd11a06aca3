import type { FastifyPluginAsync } from 'fastify';
import { AppError, statusOf } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { DomainError } from '../../infra/errors.js';
import { STATE_LABELS } from '../portal/views.js';
import * as q from '../queries.js';
import { WITHDRAWAL_GROUNDS, WITHDRAWAL_REASON_MAX_LENGTH, type WithdrawalGround } from '../schemas.js';
import { annualReminder } from '../statistics/reports.js';
import { DISCLOSURE_EVENT_LABELS, UNKNOWN_EVENT_LABEL } from './event-labels.js';
import {
  approveDisclosure,
  countOverdue,
  listDepartmentDisclosures,
  visibleDisclosure,
  withdrawDisclosure,
} from './publish.js';
import { summaryOf } from './routes.js';

/** The workbench's view engine has no publicity helpers: labels are computed here. */
const labelled = <T extends { state: string }>(x: T) => ({ ...x, stateText: STATE_LABELS[x.state] ?? x.state });
const ROLES = ['legal_admin', 'chief'] as const;
// The workbench's view engine resolves pages under its own views folder.
const VIEW = (name: string) => `../../publicity/views/${name}.hbs`;

/** A refusal the form's page shows above the form (not a missing page or a foreign disclosure). */
function isRefusal(err: unknown): err is DomainError {
  return err instanceof DomainError && statusOf(err) < 500 && statusOf(err) !== 403 && statusOf(err) !== 404;
}

/** The legal unit's publicity pages in the workbench: pending/overdue disclosures, review, withdrawal. */
export const publicityWorkbenchPages: FastifyPluginAsync = async (app) => {
  app.get('/publicity', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const state = (request.query as { state?: string }).state;
    const filter =
      state === 'overdue' || state === 'published' || state === 'withdrawn' || state === 'cancelled' ? state : 'open';
    const now = app.clock.now();
    const [rows, overdue, reminder] = await Promise.all([
      listDepartmentDisclosures(app.publicity, actor.departmentId, { state: filter, limit: 200, offset: 0 }),
      countOverdue(app.publicity, actor.departmentId),
      annualReminder(app.publicity, actor.departmentId),
    ]);
    return app.renderPage(
      reply,
      VIEW('workbench-list'),
      {
        title: '执法公示',
        items: rows.map((r) => labelled(summaryOf(r, now))),
        overdue,
        filter,
        reminder,
        flash: (request.query as { done?: string }).done,
      },
      actor,
    );
  });

  app.get('/publicity/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '公示记录不存在');
    const d = await visibleDisclosure(app.publicity, actor, id);
    const events = await q.listDisclosureEvents(app.db, id);
    const error = (request.query as { error?: string }).error;
    return app.renderPage(
      reply,
      VIEW('workbench-review'),
      {
        title: `公示审核 ${d.decision_number}`,
        d: labelled(summaryOf(d, app.clock.now())),
        original: d.original,
        redacted: d.redacted,
        findings: d.findings,
        events: events.map((e) => ({ ...e, label: DISCLOSURE_EVENT_LABELS[e.type] ?? UNKNOWN_EVENT_LABEL })),
        grounds: Object.entries(WITHDRAWAL_GROUNDS).map(([value, label]) => ({ value, label })),
        error,
      },
      actor,
    );
  });

  app.post(
    '/publicity/:id/approve',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const b = request.body as Record<string, string | undefined>;
      try {
        await approveDisclosure(app.publicity, actor, id, {
          redacted: {
            title: b.title ?? '',
            party: b.party ?? '',
            facts: b.facts ?? '',
            legalBasis: b.legalBasis ?? '',
            decision: b.decision ?? '',
          },
          confirmRemaining: b.confirmRemaining === 'on',
        });
      } catch (err) {
        if (isRefusal(err)) return reply.redirect(`/publicity/${id}?error=${encodeURIComponent(err.message)}`, 303);
        throw err;
      }
      return reply.redirect('/publicity?done=published', 303);
    },
  );

  app.post(
    '/publicity/:id/withdraw',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const b = request.body as Record<string, string | undefined>;
      const ground = (b.ground && b.ground in WITHDRAWAL_GROUNDS ? b.ground : 'other') as WithdrawalGround;
      const reason = (b.reason ?? '').trim();
      if (reason.length < 2)
        return reply.redirect(`/publicity/${id}?error=${encodeURIComponent('请写明撤下原因')}`, 303);
      try {
        await withdrawDisclosure(app.publicity, actor, id, {
          ground,
          reason: reason.slice(0, WITHDRAWAL_REASON_MAX_LENGTH),
          confirmRemaining: b.confirmRemaining === 'on',
        });
      } catch (err) {
        if (isRefusal(err)) return reply.redirect(`/publicity/${id}?error=${encodeURIComponent(err.message)}`, 303);
        throw err;
      }
      return reply.redirect(`/publicity/${id}`, 303);
    },
  );
};
