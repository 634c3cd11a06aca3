import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../http/errors.js';
import { errors, IdParams, stdErrors } from '../../http/schemas.js';
import { actorOf } from '../../identity/access.js';
import * as q from '../queries.js';
import {
  ApproveBody,
  ApproveResult,
  DisclosureDetail,
  DisclosureList,
  DisclosureListQuery,
  RuleSchema,
  WithdrawBody,
  WithdrawResult,
} from '../schemas.js';
import { type DisclosureRow, isoDate } from '../tables.js';
import {
  approveDisclosure,
  countOverdue,
  listDepartmentDisclosures,
  stateOf,
  visibleDisclosure,
  withdrawDisclosure,
} from './publish.js';

const MANAGERS = ['legal_admin', 'chief'] as const;

export function summaryOf(
  d: Pick<
    DisclosureRow,
    | 'id'
    | 'case_id'
    | 'category'
    | 'decision_number'
    | 'decision_date'
    | 'redacted'
    | 'status'
    | 'due_at'
    | 'due_provisional'
    | 'reminded_at'
    | 'published_at'
    | 'withdrawn_at'
    | 'withdrawal_reason'
    | 'retention_until'
  > &
    Partial<
      Pick<DisclosureRow, 'withdraw_due_at' | 'withdraw_required_reason' | 'cancelled_at' | 'cancellation_reason'>
    >,
  now: Date,
) {
  return {
    id: d.id,
    caseId: d.case_id,
    category: d.category,
    decisionNumber: d.decision_number,
    decisionDate: isoDate(d.decision_date),
    title: d.redacted.title,
    party: d.redacted.party,
    state: stateOf(d, now),
    dueAt: d.due_at.toISOString(),
    dueProvisional: d.due_provisional,
    publishedAt: d.published_at?.toISOString() ?? null,
    withdrawnAt: d.withdrawn_at?.toISOString() ?? null,
    withdrawalReason: d.withdrawal_reason,
    retentionUntil: d.retention_until ? isoDate(d.retention_until) : null,
    // A 复议 or 诉讼 outcome obliging withdrawal, while the decision is still up (行政处罚法 art. 48(2)).
    withdrawal:
      d.withdraw_due_at && d.status === 'published'
        ? {
            dueAt: d.withdraw_due_at.toISOString(),
            reason: d.withdraw_required_reason ?? '',
            overdue: now > d.withdraw_due_at,
          }
        : null,
    // Corrected before publication: not published, and why (no deadline runs for it).
    cancellation:
      d.status === 'cancelled' && d.cancelled_at
        ? { at: d.cancelled_at.toISOString(), reason: d.cancellation_reason ?? '' }
        : null,
  };
}

/** The legal unit's side of publicity: the department's disclosures, approval, withdrawal and the rules. */
export const disclosureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = () => app.publicity;

  app.get(
    '/api/disclosures',
    {
      config: { access: [...MANAGERS, 'officer'] },
      schema: {
        tags: ['行政执法公示'],
        summary: '本机关的执法决定公示（待公开、已超期、已公开、已撤下、不予公开），超期的排在前面',
        querystring: DisclosureListQuery,
        response: { 200: DisclosureList, ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await listDepartmentDisclosures(ctx(), actor.departmentId, request.query);
      const now = app.clock.now();
      return { items: rows.map((r) => summaryOf(r, now)), overdue: await countOverdue(ctx(), actor.departmentId) };
    },
  );

  app.get(
    '/api/disclosures/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['行政执法公示'],
        summary: '公示详情：原文与脱敏文本对照、识别出的个人信息、处理记录（含撤下原因）',
        params: IdParams,
        response: { 200: DisclosureDetail, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const d = await visibleDisclosure(ctx(), actorOf(request), request.params.id);
      const events = await q.listDisclosureEvents(app.db, d.id);
      return {
        ...summaryOf(d, app.clock.now()),
        original: d.original,
        redacted: d.redacted,
        findings: d.findings,
        events: events.map((e) => ({ type: e.type, actor: e.actor_name, payload: e.payload, at: e.at.toISOString() })),
      };
    },
  );

  app.post(
    '/api/disclosures/:id/approve',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['行政执法公示'],
        summary: '审核脱敏文本并公开（【】内的段落不予公开）；公开前已被复议或诉讼纠正的决定不予公开（409）',
        params: IdParams,
        body: ApproveBody,
        response: { 200: ApproveResult, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const r = await approveDisclosure(ctx(), actorOf(request), request.params.id, request.body);
      return { ...r, publishedAt: r.publishedAt.toISOString() };
    },
  );

  app.post(
    '/api/disclosures/:id/withdraw',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['行政执法公示'],
        summary:
          '撤下已公开的决定（被变更、撤销、确认违法、确认无效或责令重作），公开撤下原因；原因中含个人信息的不予撤下（400），除非确认',
        params: IdParams,
        body: WithdrawBody,
        response: { 200: WithdrawResult, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const r = await withdrawDisclosure(ctx(), actorOf(request), request.params.id, request.body);
      return { ...r, withdrawnAt: r.withdrawnAt.toISOString() };
    },
  );

  app.get(
    '/api/disclosure-rules',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['行政执法公示'],
        summary: '各类决定的公开期限（工作日）、提醒和公开保留年限',
        response: { 200: Type.Array(RuleSchema), ...stdErrors },
      },
    },
    async () => (await q.listRules(app.db)).map(ruleOut),
  );

  app.put(
    '/api/disclosure-rules/:category',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['行政执法公示'],
        summary: '设置一类决定的公开期限（法律另有规定时）；只影响此后记录的决定',
        params: Type.Object({ category: RuleSchema.properties.category }),
        body: Type.Omit(RuleSchema, ['category']),
        response: { 200: RuleSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await q.updateRule(app.db, request.params.category, {
        deadline_working_days: b.deadlineWorkingDays,
        reminder_working_days: b.reminderWorkingDays,
        retention_years_person: b.retentionYearsPerson,
        retention_years_organization: b.retentionYearsOrganization,
      });
      if (!r.numUpdatedRows) throw new AppError(404, 'NOT_FOUND', '没有此类别');
      return { category: request.params.category, ...b };
    },
  );
};

function ruleOut(r: Awaited<ReturnType<typeof q.listRules>>[number]) {
  return {
    category: r.category,
    deadlineWorkingDays: r.deadline_working_days,
    reminderWorkingDays: r.reminder_working_days,
    retentionYearsPerson: r.retention_years_person,
    retentionYearsOrganization: r.retention_years_organization,
  };
}
