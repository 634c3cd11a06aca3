import { resumeAfterTransfer } from '../cases/resume.js';
import type { OutboxRow } from '../engine/outbox.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { TransfersContext } from './context.js';
import { issueTransferNotice } from './document.js';
import * as q from './queries.js';
import { dueOf, REGULATION, TIME_LIMITS } from './rules.js';
import { agencyCase, assertPresiding, deliver, limitPatch, record, step } from './steps.js';
import type { HandedEvidence, TransferRow } from './tables.js';

const STAFF = ['officer', 'legal_admin', 'chief'] as const;
const RETURNABLE: readonly TransferRow['status'][] = [
  'refused',
  'declined',
  'review_declined',
  'supervision_upheld',
  'handed_over',
];
const notReturnable = () =>
  new AppError(409, 'CONFLICT', '只有负责人不批准移送、公安机关不予立案或者将案件移送回本机关的，可以继续办理');
const invalid = (message: string, field: string) => new AppError(400, 'VALIDATION_FAILED', message, { field });

/** A time given by the caller (when the organ signed, when its notice arrived): not in the future, not before `after`. */
function pastTime(value: string | undefined, now: Date, after: Date | null, field: string): Date {
  const at = value ? new Date(value) : now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 60_000) throw invalid('时间不能晚于现在', field);
  if (after && at < after) throw invalid('时间不能早于上一步骤', field);
  return at;
}

export interface ReportInput {
  policeOrgan: string;
  procuratorate: string;
  teamIds: string[];
  reasons: string;
  evidence: HandedEvidence[];
}

/**
 * 移送涉嫌犯罪案件的书面报告 (第五条第一款): a 专案组 of two or more enforcement officers reports, with the materials
 * to hand over (第六条); the chief's 3-day limit starts (第五条第二款). Only a case the chief decided to transfer.
 */
export async function reportTransfer(ctx: TransfersContext, actor: Actor, caseId: string, input: ReportInput) {
  const c = await agencyCase(ctx, actor, caseId, ['officer']);
  if (c.status !== 'transferred') {
    throw new AppError(409, 'CONFLICT', '负责人决定移送司法机关后，方可报告移送涉嫌犯罪案件');
  }
  const teamIds = [...new Set(input.teamIds)];
  const team = await q.officersAmong(ctx.db, c.department_id, teamIds);
  if (team.length < 2 || team.length !== teamIds.length) {
    throw invalid(`专案组应由本机关2名或者2名以上行政执法人员组成（${REGULATION}第五条第一款）`, 'teamIds');
  }
  const now = ctx.clock.now();
  const effects: OutboxRow[] = [];
  const row = await ctx.db
    .transaction()
    .execute(async (trx) => {
      const latest = await q.lockLatest(trx, c.id);
      if (latest && !['refused', 'returned', 'handed_over'].includes(latest.status)) {
        throw new AppError(409, 'CONFLICT', '本案已有正在办理的移送');
      }
      const t = await q.insertTransfer(trx, {
        case_id: c.id,
        department_id: c.department_id,
        status: 'reported',
        police_organ: input.policeOrgan.trim(),
        procuratorate: input.procuratorate.trim(),
        team_ids: JSON.stringify(teamIds),
        reasons: input.reasons.trim(),
        evidence: JSON.stringify(input.evidence.map((e) => ({ ...e, name: e.name.trim() }))),
        reported_by: actor.id,
        reported_at: now,
      });
      const limit = await limitPatch(ctx, trx, t, { step: 'approval', from: now }, effects);
      await record(ctx, trx, c, actor.id, now, 'transfer.reported', {
        transferId: t.id,
        policeOrgan: t.police_organ,
        procuratorate: t.procuratorate,
        team,
        reasons: t.reasons,
        evidence: input.evidence,
        approvalDueAt: limit.step_due_at?.toISOString(),
      });
      return q.updateTransfer(trx, t.id, limit);
    })
    .catch((err) => {
      // Two reports at once: the one-open-transfer index lets one through.
      if ((err as { code?: string }).code === '23505') throw new AppError(409, 'CONFLICT', '本案已有正在办理的移送');
      throw err;
    });
  await deliver(ctx, effects);
  return row;
}

/** 批准移送 (the 移送书 issued and signed by the chief; 24 hours to send) or 不批准 with the reasons recorded. */
export async function decideTransfer(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: { approve: boolean; note?: string },
) {
  const c = await agencyCase(ctx, actor, caseId, ['chief']);
  await assertPresiding(ctx, actor, c.department_id);
  const note = input.note?.trim() ?? '';
  if (!input.approve && !note) {
    throw invalid(`决定不批准的，应当将不予批准的理由记录在案（${REGULATION}第五条第二款）`, 'note');
  }
  return step(ctx, actor, c, ['reported'], async (trx, t, now) => {
    const decided = { decided_by: actor.id, decided_at: now, decision_note: note || null };
    if (!input.approve) {
      return {
        patch: { ...decided, status: 'refused' },
        event: { type: 'transfer.refused', payload: { reasons: note } },
        next: null,
      };
    }
    const doc = await issueTransferNotice(ctx, trx, c, t, actor.id, now);
    return {
      patch: { ...decided, status: 'approved', document_id: doc.id },
      event: {
        type: 'transfer.approved',
        payload: { note: note || null, documentId: doc.id, documentNumber: doc.number, sm3: doc.sm3 },
      },
      next: { step: 'send', from: now },
    };
  });
}

/** The 移送书 and the materials delivered to the public security organ (how: 专人送达 …). */
export function recordDelivery(ctx: TransfersContext, actor: Actor, caseId: string, input: { method: string }) {
  return agencyCase(ctx, actor, caseId, STAFF).then((c) =>
    step(ctx, actor, c, ['approved'], async (_trx, t, now) => ({
      patch: { status: 'sent', sent_at: now, sent_by: actor.id, delivery: input.method.trim() },
      event: { type: 'transfer.sent', payload: { method: input.method.trim(), policeOrgan: t.police_organ } },
      next: null,
    })),
  );
}

/** The organ signed the receipt (回执, 第七条): its 3 days to decide on 立案 start (第八条). */
export async function recordReceipt(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: { receiver: string; receivedAt?: string },
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  return step(ctx, actor, c, ['sent'], async (_trx, t, now) => {
    const at = pastTime(input.receivedAt, now, t.sent_at, 'receivedAt');
    return {
      patch: { status: 'received', received_at: at, receiver: input.receiver.trim() },
      event: { type: 'transfer.received', payload: { receiver: input.receiver.trim(), receivedAt: at.toISOString() } },
      next: { step: 'police_decision', from: at },
    };
  });
}

export interface OrganDecisionInput {
  decision: 'filed' | 'declined';
  noticeReceivedAt?: string;
  reasons?: string;
}

/** The organ's written notice: 立案 (materials handed over within 3 days, 第十二条) or 不予立案 with reasons (第八条). */
export async function recordPoliceDecision(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: OrganDecisionInput,
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  const reasons = input.reasons?.trim() ?? '';
  if (input.decision === 'declined' && !reasons) {
    throw invalid(`不予立案的，公安机关应当说明理由（${REGULATION}第八条），请填写通知书载明的理由`, 'reasons');
  }
  return step(ctx, actor, c, ['received'], async (_trx, t, now) => {
    const at = pastTime(input.noticeReceivedAt, now, t.received_at, 'noticeReceivedAt');
    const filed = input.decision === 'filed';
    return {
      patch: {
        status: filed ? 'filed' : 'declined',
        police_decision: input.decision,
        police_notice_at: at,
        police_reasons: reasons || null,
      },
      event: {
        type: filed ? 'transfer.police_filed' : 'transfer.police_declined',
        payload: { noticeReceivedAt: at.toISOString(), reasons: reasons || null },
      },
      next: { step: filed ? 'handover' : 'review_window', from: at },
    };
  });
}

/**
 * 提请复议 within 3 days of the 不予立案 notice (第九条第一款); the organ's 3 days to decide run from its receipt of
 * the request (第九条第二款: 自收到……提请复议的文件之日起), given as `deliveredAt` (default: now).
 */
export async function requestReview(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: { reasons: string; deliveredAt?: string },
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  return step(ctx, actor, c, ['declined'], async (trx, t, now) => {
    const window = dueOf(await ctx.calendar.calendarFor(trx), 'review_window', t.police_notice_at ?? now);
    if (now > window.dueAt) {
      throw new AppError(
        409,
        'CONFLICT',
        `已超过提请复议的期限（${REGULATION}第九条第一款：接到不予立案通知书之日起3日内）`,
      );
    }
    const delivered = pastTime(input.deliveredAt, now, t.police_notice_at, 'deliveredAt');
    return {
      patch: { status: 'review_requested', review_requested_at: delivered, review_reasons: input.reasons.trim() },
      event: {
        type: 'transfer.review_requested',
        payload: { reasons: input.reasons.trim(), deliveredAt: delivered.toISOString() },
      },
      next: { step: 'review_decision', from: delivered },
    };
  });
}

/** The organ's 复议决定: 立案 after all, or 不予立案 maintained (the agency may then turn to the procuratorate). */
export async function recordReviewResult(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: OrganDecisionInput,
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  return step(ctx, actor, c, ['review_requested'], async (_trx, t, now) => {
    const at = pastTime(input.noticeReceivedAt, now, t.review_requested_at, 'noticeReceivedAt');
    const filed = input.decision === 'filed';
    const note = input.reasons?.trim() || null;
    return {
      patch: {
        status: filed ? 'filed' : 'review_declined',
        review_result: input.decision,
        review_notice_at: at,
        review_note: note,
      },
      event: {
        type: 'transfer.review_decided',
        payload: { result: input.decision, noticeReceivedAt: at.toISOString(), note },
      },
      // 第九条第二款: still objecting, the agency recommends 立案监督 within 3 days of the 复议决定通知书.
      next: { step: filed ? 'handover' : 'supervision_window', from: at },
    };
  });
}

/**
 * 第七条: the organ that signed the receipt is not competent and forwarded the case to the one that is, telling the
 * agency in writing. The 3 days to decide on 立案 run again from the competent organ's acceptance (第八条); a forward
 * later than 24 hours after the receipt is the organ's lateness (recorded for 立案监督, 第十七条).
 */
export async function recordForwarding(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: { policeOrgan: string; forwardedAt?: string },
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  const organ = input.policeOrgan.trim();
  return step(ctx, actor, c, ['received'], async (trx, t, now) => {
    if (organ === t.police_organ) throw invalid('转送的机关应为另一有管辖权的机关', 'policeOrgan');
    const at = pastTime(input.forwardedAt, now, t.received_at, 'forwardedAt');
    const limit = t.received_at ? dueOf(await ctx.calendar.calendarFor(trx), 'forward', t.received_at) : null;
    const late = limit !== null && at > limit.dueAt;
    const article = `${REGULATION}${TIME_LIMITS.forward.article}`;
    return {
      patch: {
        police_organ: organ,
        forwarded_from: t.police_organ,
        forwarded_at: at,
        ...(late && { overdue_steps: JSON.stringify([...new Set([...t.overdue_steps, 'forward'])]) }),
      },
      event: {
        type: 'transfer.forwarded',
        payload: {
          from: t.police_organ,
          to: organ,
          forwardedAt: at.toISOString(),
          ...(late && { policeLate: { step: 'forward', article } }),
        },
      },
      next: { step: 'police_decision', from: at },
    };
  });
}

/**
 * 建议人民检察院依法进行立案监督 (第九条): open to the agency after 不予立案 (第一款, besides or instead of 复议), and due
 * within 3 days of a 复议决定 that maintained it if the agency still objects (第二款); a later one is recorded late.
 */
export async function recommendSupervision(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: { reasons: string },
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  const reasons = input.reasons.trim();
  return step(ctx, actor, c, ['declined', 'review_declined'], async (trx, t, now) => {
    const window =
      t.status === 'review_declined' && t.review_notice_at
        ? dueOf(await ctx.calendar.calendarFor(trx), 'supervision_window', t.review_notice_at)
        : null;
    const late =
      window && now > window.dueAt
        ? { step: 'supervision_window', dueAt: window.dueAt.toISOString(), article: `${REGULATION}第九条第二款` }
        : null;
    return {
      patch: { status: 'supervision_requested', supervision_requested_at: now, supervision_reasons: reasons },
      event: {
        type: 'transfer.supervision_requested',
        payload: { procuratorate: t.procuratorate, reasons, after: t.status, ...(late && { late }) },
      },
      next: null,
    };
  });
}

/**
 * What the procuratorate told the agency (最高检规定 第十一条): the organ filed the case after 立案监督 (materials
 * handed over within 3 days, 第十二条), or the procuratorate found its reasons for not filing sound (the agency then
 * deals with the case itself, 第十条).
 */
export async function recordSupervisionResult(
  ctx: TransfersContext,
  actor: Actor,
  caseId: string,
  input: { result: 'filed' | 'upheld'; noticeReceivedAt?: string; note?: string },
) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  return step(ctx, actor, c, ['supervision_requested'], async (_trx, t, now) => {
    const at = pastTime(input.noticeReceivedAt, now, t.supervision_requested_at, 'noticeReceivedAt');
    const filed = input.result === 'filed';
    const note = input.note?.trim() || null;
    return {
      patch: {
        status: filed ? 'filed' : 'supervision_upheld',
        supervision_result: input.result,
        supervision_notice_at: at,
        supervision_note: note,
      },
      event: {
        type: 'transfer.supervision_decided',
        payload: { result: input.result, noticeReceivedAt: at.toISOString(), note },
      },
      next: filed ? { step: 'handover', from: at } : null,
    };
  });
}

/** After 立案: the seized items and materials handed over (第十二条); the case is in the organ's hands. */
export async function recordHandover(ctx: TransfersContext, actor: Actor, caseId: string, input: { note: string }) {
  const c = await agencyCase(ctx, actor, caseId, STAFF);
  return step(ctx, actor, c, ['filed'], async (_trx, _t, now) => ({
    patch: { status: 'handed_over', handed_over_at: now, handover_note: input.note.trim() },
    event: { type: 'transfer.handed_over', payload: { note: input.note.trim() } },
    next: null,
  }));
}

/**
 * The case comes back to the agency, which continues it (行政处罚法 art. 27; 第十条: 不予立案的案件依法作出处理;
 * 第十三条: sent back by the organ): the transfer ends and the case resumes its review towards a decision.
 */
export async function returnToAgency(ctx: TransfersContext, actor: Actor, caseId: string, input: { reason: string }) {
  const c = await agencyCase(ctx, actor, caseId, ['chief', 'legal_admin']);
  const reason = input.reason.trim();
  const latest = (await q.transfersOfCase(ctx.db, c.id)).at(-1);
  if (!latest || !RETURNABLE.includes(latest.status)) throw notReturnable();
  const effects: OutboxRow[] = [];
  await resumeAfterTransfer(ctx.cases, actor, c.id, {
    note: `移送后退回本机关继续办理：${reason}`,
    onResume: async (trx, resumed) => {
      const t = await q.lockLatest(trx, c.id);
      if (!t || !RETURNABLE.includes(t.status)) throw notReturnable();

      const now = ctx.clock.now();
      const limit = await limitPatch(ctx, trx, t, null, effects);
      await q.updateTransfer(trx, t.id, {
        ...limit,
        status: 'returned',
        returned_at: now,
        returned_by: actor.id,
        return_reason: reason,
      });
      await record(ctx, trx, resumed, actor.id, now, 'transfer.returned', { transferId: t.id, from: t.status, reason });
    },
  });
  await deliver(ctx, effects);
}
