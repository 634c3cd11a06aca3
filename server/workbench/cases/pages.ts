import type { FastifyPluginAsync } from 'fastify';
import { confirmCoordination } from '../../cases/coordination.js';
import * as cases from '../../cases/reads.js';
import { recordDirectDecision, recordSupervisorView, visibleCase } from '../../cases/service.js';
import type { CaseStatus } from '../../cases/tables.js';
import {
  CHALLENGE_KINDS,
  CHALLENGE_OUTCOMES,
  type ChallengeKind,
  type ChallengeOutcome,
} from '../../challenges/outcomes.js';
import { recordChallenge } from '../../challenges/service.js';
import { AppError, statusOf } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { CASE_STATUS_LABELS, CATEGORY_LABELS } from '../../http/view-engine.js';
import { readsAllDepartments } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { draftValues } from '../tasks/drafts.js';
import { diagramCache } from './diagram.js';
import { mayRecordDirectly, renderCase } from './render.js';
import type { FieldErrors } from './submit-packet.js';

const PAGE_SIZE = 30;
const WORKERS = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

function caseIdParam(params: unknown): string {
  const { id } = params as { id: string };
  if (!UUID.test(id)) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  return id;
}

export const casePages: FastifyPluginAsync = async (app) => {
  const diagrams = diagramCache(app.db);

  app.get('/cases', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const status = q.status && q.status in CASE_STATUS_LABELS ? (q.status as CaseStatus) : undefined;
    const category = q.category && q.category in CATEGORY_LABELS ? q.category : undefined;
    const search = (q.q ?? '').trim().slice(0, 100) || undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const all = readsAllDepartments(actor);
    const rows = await cases.listCases(app.db, {
      departmentId: all ? undefined : actor.departmentId,
      status,
      category: category as Parameters<typeof cases.listCases>[1]['category'],
      q: search,
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    const href = (p: number) => {
      const u = new URLSearchParams();
      if (search) u.set('q', search);
      if (status) u.set('status', status);
      if (category) u.set('category', category);
      u.set('page', String(p));
      return `/cases?${u}`;
    };
    return app.renderPage(
      reply,
      'cases.hbs',
      {
        title: '案件',
        headExtra: '<link rel="stylesheet" href="/assets/case.css">',
        cases: rows.slice(0, PAGE_SIZE),
        allDepartments: all,
        filters: { q: search, status, category },
        statuses: Object.entries(CASE_STATUS_LABELS).map(([code, label]) => ({ code, label })),
        categories: Object.entries(CATEGORY_LABELS).map(([code, label]) => ({ code, label })),
        page,
        prevHref: page > 1 ? href(page - 1) : null,
        nextHref: rows.length > PAGE_SIZE ? href(page + 1) : null,
        maySubmit: actor.roles.includes('officer'),
      },
      actor,
    );
  });

  app.get('/cases/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    await recordSupervisorView(app.cases, actor, c);
    const q = request.query as Record<string, string | undefined>;
    return renderCase(app, diagrams, reply, actor, c, { flash: q.flash });
  });

  app.post(
    '/cases/:id/decision',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['officer']);
      if (!actor) return reply;
      const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
      const body = draftValues(request.body);
      const values = { number: one(body.number), date: one(body.date), content: one(body.content) };
      const errors: FieldErrors = {};
      if (!values.number) errors.number = '请填写决定书文号';
      else if (values.number.length > 100) errors.number = '决定书文号不能超过 100 个字';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) errors.date = '请填写决定日期';
      if (!values.content) errors.content = '请填写决定内容';
      const refuse = (status: number, formError: string) => {
        reply.status(status);
        return renderCase(app, diagrams, reply, actor, c, { decision: { values, errors, formError } });
      };
      if (!mayRecordDirectly(actor, c)) return refuse(409, '此案件的决定须在审核流程中记录');
      if (Object.keys(errors).length) return refuse(400, '请按提示填写后再记录。');
      try {
        await recordDirectDecision(app.cases, actor, c.id, values);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        return refuse(statusOf(err), err.message);
      }
      return reply.redirect(`/cases/${c.id}?flash=decided`, 303);
    },
  );

  // A unit head confirms an agreed coordination (cases/coordination.ts).
  app.post(
    '/cases/:id/coordination/confirm',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['officer', 'legal_admin', 'reviewer']);
      if (!actor) return reply;
      const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
      const outcome = one(draftValues(request.body).outcome);
      const refuse = (status: number, formError: string) => {
        reply.status(status);
        return renderCase(app, diagrams, reply, actor, c, { coordination: { formError } });
      };
      if (outcome !== 'agree_with_review' && outcome !== 'agree_with_handling') return refuse(400, '请选择一致的意见');
      try {
        await confirmCoordination(app.cases, actor, c.id, outcome);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        return refuse(statusOf(err), err.message);
      }
      return reply.redirect(`/cases/${c.id}#coordination-confirm`, 303);
    },
  );

  // 行政复议 / 行政诉讼 outcome, recorded by the agency's legal unit or head (challenges/service.ts).
  app.post(
    '/cases/:id/challenges',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['legal_admin', 'chief']);
      if (!actor) return reply;
      const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
      const body = draftValues(request.body);
      const values = Object.fromEntries(
        ['kind', 'organ', 'outcome', 'documentNumber', 'decidedOn', 'note'].map((k) => [k, one(body[k])]),
      );
      const refuse = (status: number, formError: string) => {
        reply.status(status);
        return renderCase(app, diagrams, reply, actor, c, { challenge: { values, formError } });
      };
      if (!Object.hasOwn(CHALLENGE_KINDS, values.kind) || !Object.hasOwn(CHALLENGE_OUTCOMES, values.outcome))
        return refuse(400, '请选择类别和结果');
      if (!values.organ || !values.documentNumber) return refuse(400, '请填写机关和文书号');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.decidedOn)) return refuse(400, '请填写生效日期');
      try {
        const ctx = { db: app.db, calendar: app.calendar, clock: app.clock, history: app.runtime.history };
        const r = await recordChallenge(ctx, actor, c.id, {
          kind: values.kind as ChallengeKind,
          organ: values.organ.slice(0, 200),
          outcome: values.outcome as ChallengeOutcome,
          decidedOn: values.decidedOn,
          documentNumber: values.documentNumber.slice(0, 100),
          note: values.note.slice(0, 2000),
        });
        const flash = {
          none: 'challenge_recorded',
          unpublished: 'challenge_unpublished',
          published: 'challenge_withdraw',
        }[r.disclosure];
        return reply.redirect(`/cases/${c.id}?flash=${flash}#challenges`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        return refuse(statusOf(err), err.message);
      }
    },
  );

  // The process diagram for the viewer: the case's own definition version, laid out when it has no diagram.
  app.get('/cases/:id/diagram.bpmn', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    const diagram = c.instance_id ? await diagrams.forInstance(c.instance_id) : null;
    if (!diagram) throw new AppError(404, 'NOT_FOUND', '本案没有审核流程');
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'private, max-age=3600')
      .send(diagram.xml);
  });
};
