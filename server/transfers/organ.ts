import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { TransfersContext } from './context.js';
import { dueOf, REGULATION, TIME_LIMITS } from './rules.js';
import { agencyCase, invalid, pastTime, STAFF, step } from './steps.js';

// The organs' side of a transfer, as the agency records what they answered: the police organ's 立案 or 不予立案
// (and its forwarding to a competent organ), the agency's 复议 and 立案监督 requests and their outcomes, the handover.

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
