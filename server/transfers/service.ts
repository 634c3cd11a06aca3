import { resumeAfterTransfer } from '../cases/resume.js';
import type { OutboxRow } from '../engine/outbox.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { TransfersContext } from './context.js';
import { issueTransferNotice } from './document.js';
import * as q from './queries.js';
import { REGULATION } from './rules.js';
import { agencyCase, assertPresiding, deliver, invalid, limitPatch, pastTime, record, STAFF, step } from './steps.js';
import type { HandedEvidence, TransferRow } from './tables.js';

const RETURNABLE: readonly TransferRow['status'][] = [
  'refused',
  'declined',
  'review_declined',
  'supervision_upheld',
  'handed_over',
];
/**
 * What 第六条 requires with every transfer besides the 移送书 itself, recognised by name in the materials listed;
 * 检验报告或者鉴定结论 (第（四）项) only where there are any, so it is not required.
 */
const REQUIRED_MATERIALS = [
  { test: /调查报告/, name: '涉嫌犯罪案件情况的调查报告', item: '第（二）项' },
  { test: /物品清单/, name: '涉案物品清单', item: '第（三）项' },
];
const notReturnable = () =>
  new AppError(409, 'CONFLICT', '只有负责人不批准移送、公安机关不予立案或者将案件移送回本机关的，可以继续办理');

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
  const missing = REQUIRED_MATERIALS.filter((m) => !input.evidence.some((e) => m.test.test(e.name)));
  if (missing.length) {
    throw invalid(
      `移送涉嫌犯罪案件应当附有${missing.map((m) => `${m.name}（第六条${m.item}）`).join('、')}，请在随案移送的材料中列明（${REGULATION}第六条）`,
      'evidence',
    );
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
