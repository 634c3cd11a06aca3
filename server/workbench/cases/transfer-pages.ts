import type { FastifyPluginAsync } from 'fastify';
import { visibleCase } from '../../cases/service.js';
import { AppError, statusOf } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import type { Actor } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import type { TransfersContext } from '../../transfers/context.js';
import {
  recommendSupervision,
  recordForwarding,
  recordHandover,
  recordPoliceDecision,
  recordReviewResult,
  recordSupervisionResult,
  requestReview,
} from '../../transfers/organ.js';
import {
  decideTransfer,
  recordDelivery,
  recordReceipt,
  reportTransfer,
  returnToAgency,
} from '../../transfers/service.js';
import { draftValues } from '../tasks/drafts.js';
import { diagramCache } from './diagram.js';
import { renderCase } from './render.js';

type Form = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
/** A datetime-local value is Beijing time; empty means now. */
const beijing = (v: string | string[] | undefined) => (one(v) ? `${one(v).slice(0, 16)}:00+08:00` : undefined);
const required = (v: string, field: string, label: string) => {
  if (!v) throw new AppError(400, 'VALIDATION_FAILED', `请填写${label}`, { field });
  return v;
};

/** "名称｜数量｜备注" per line (the half-width bar too). */
function evidenceLines(text: string) {
  return text
    .split(/\r?\n/)
    .map((l) => l.split(/[｜|]/).map((x) => x.trim()))
    .filter(([name]) => name)
    .map(([name, quantity, note]) => ({ name, ...(quantity && { quantity }), ...(note && { note }) }));
}

const ACTIONS: Record<string, (ctx: TransfersContext, actor: Actor, caseId: string, f: Form) => Promise<unknown>> = {
  report: (ctx, a, id, f) =>
    reportTransfer(ctx, a, id, {
      policeOrgan: required(one(f.policeOrgan), 'policeOrgan', '受移送的公安机关'),
      procuratorate: required(one(f.procuratorate), 'procuratorate', '抄送的人民检察院'),
      teamIds: many(f.teamIds).filter((x) => UUID.test(x)),
      reasons: required(one(f.reasons), 'reasons', '涉嫌犯罪的事实和理由'),
      evidence: (() => {
        const items = evidenceLines(one(f.evidence));
        if (items.length === 0) required('', 'evidence', '随案移送的材料');
        return items;
      })(),
    }),
  decision: (ctx, a, id, f) => {
    if (!['true', 'false'].includes(one(f.approve))) required('', 'approve', '是否批准移送');
    return decideTransfer(ctx, a, id, { approve: one(f.approve) === 'true', note: one(f.note) });
  },
  delivery: (ctx, a, id, f) => recordDelivery(ctx, a, id, { method: required(one(f.method), 'method', '移送方式') }),
  receipt: (ctx, a, id, f) =>
    recordReceipt(ctx, a, id, {
      receiver: required(one(f.receiver), 'receiver', '签收人'),
      receivedAt: beijing(f.receivedAt),
    }),
  'police-decision': (ctx, a, id, f) => recordPoliceDecision(ctx, a, id, organDecision(f)),
  'review-request': (ctx, a, id, f) =>
    requestReview(ctx, a, id, { reasons: required(one(f.reasons), 'reasons', '提请复议的理由') }),
  'review-result': (ctx, a, id, f) => recordReviewResult(ctx, a, id, organDecision(f)),
  forwarding: (ctx, a, id, f) =>
    recordForwarding(ctx, a, id, {
      policeOrgan: required(one(f.policeOrgan), 'policeOrgan', '受转送的机关'),
      forwardedAt: beijing(f.forwardedAt),
    }),
  supervision: (ctx, a, id, f) =>
    recommendSupervision(ctx, a, id, { reasons: required(one(f.reasons), 'reasons', '建议立案监督的理由') }),
  'supervision-result': (ctx, a, id, f) => {
    const result = one(f.result);
    if (result !== 'filed' && result !== 'upheld') required('', 'result', '立案监督结果');
    return recordSupervisionResult(ctx, a, id, {
      result: result as 'filed' | 'upheld',
      noticeReceivedAt: beijing(f.noticeReceivedAt),
      note: one(f.note),
    });
  },
  handover: (ctx, a, id, f) => recordHandover(ctx, a, id, { note: required(one(f.note), 'note', '移交情况') }),
  return: (ctx, a, id, f) => returnToAgency(ctx, a, id, { reason: required(one(f.reason), 'reason', '原因') }),
};

function organDecision(f: Form) {
  const decision = one(f.decision);
  if (decision !== 'filed' && decision !== 'declined') required('', 'decision', '立案或者不予立案');
  return {
    decision: decision as 'filed' | 'declined',
    noticeReceivedAt: beijing(f.noticeReceivedAt),
    reasons: one(f.reasons),
  };
}

/** The case page's 移送 forms: each posts one step and comes back to the case, or shows why it was refused. */
export const transferPages: FastifyPluginAsync = async (app) => {
  const diagrams = diagramCache(app.db);
  app.post(
    '/cases/:id/transfer/:action',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['officer', 'legal_admin', 'chief']);
      if (!actor) return reply;
      const { id, action } = request.params as { id: string; action: string };
      const act = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!UUID.test(id) || !act) throw new AppError(404, 'NOT_FOUND', '页面不存在');
      const c = await visibleCase(app.cases, actor, id);
      try {
        await act(app.transfers, actor, c.id, draftValues(request.body) as Form);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        reply.status(statusOf(err));
        const fresh = await visibleCase(app.cases, actor, id);
        return renderCase(app, diagrams, reply, actor, fresh, { transfer: { formError: err.message } });
      }
      return reply.redirect(`/cases/${c.id}#transfer`, 303);
    },
  );
};
