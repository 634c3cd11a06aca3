import type { Transaction } from 'kysely';
import { visibleCase } from '../cases/service.js';
import type { CaseRow } from '../cases/tables.js';
import { presidingLeader } from '../collective/leaders.js';
import type { DB } from '../database/schema.js';
import { deliverCommitted, type OutboxRow } from '../engine/outbox.js';
import { cancelOwnedTimers, scheduleOwnedTimers } from '../engine/owned-timers.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { recordCaseEvent } from '../records/append.js';
import type { TransfersContext } from './context.js';
import * as q from './queries.js';
import { dueOf, REGULATION, type StepKey, TIME_LIMITS, WINDOW_STEPS } from './rules.js';
import type { TransferRow, TransferStatus } from './tables.js';

export const REMINDER_KIND = 'transfer_reminder';
export const DEADLINE_KIND = 'transfer_deadline';
export const TIMER_KINDS = [REMINDER_KIND, DEADLINE_KIND] as const;
export const ownerOf = (transferId: string) => ({ type: 'transfer', id: transferId });

export type Role = Actor['roles'][number];

/** What a step changes: the row, the record entry, and the time limit that runs next (null: none). */
export interface StepOutcome {
  patch: Parameters<typeof q.updateTransfer>[2];
  event: { type: string; payload: Record<string, unknown> };
  next: { step: StepKey; from: Date } | null;
}

/** The case of the transfer, as its caller may see it; only the agency's own staff act on it. */
export async function agencyCase(ctx: TransfersContext, actor: Actor, caseId: string, roles: readonly Role[]) {
  const c = await visibleCase(ctx.cases, actor, caseId);
  if (c.department_id !== actor.departmentId || !actor.roles.some((r) => roles.includes(r))) {
    throw new AppError(403, 'FORBIDDEN', '无权办理本案的移送');
  }
  return c;
}

/**
 * Moves the case's latest transfer from one of `from` through `apply`, in one transaction with its record entry
 * and its timers: the running limit's timers are cancelled and the next limit's scheduled.
 */
export async function step(
  ctx: TransfersContext,
  actor: Actor,
  c: CaseRow,
  from: readonly TransferStatus[],
  apply: (trx: Transaction<DB>, t: TransferRow, now: Date) => Promise<StepOutcome>,
): Promise<TransferRow> {
  const effects: OutboxRow[] = [];
  const row = await ctx.db.transaction().execute(async (trx) => {
    const t = await q.lockLatest(trx, c.id);
    if (!t) throw new AppError(404, 'NOT_FOUND', '本案尚未报告移送');
    if (!from.includes(t.status)) {
      throw new AppError(409, 'CONFLICT', `移送当前处于“${STATUS_LABELS[t.status]}”，不能办理此步骤`, {
        status: t.status,
      });
    }
    const now = ctx.clock.now();
    const out = await apply(trx, t, now);
    const late = lateness(t, now);
    const updated = await q.updateTransfer(trx, t.id, {
      ...out.patch,
      ...(await limitPatch(ctx, trx, t, out.next, effects)),
    });
    await record(ctx, trx, c, actor.id, now, out.event.type, {
      transferId: t.id,
      ...out.event.payload,
      ...(late && { late }),
    });
    return updated;
  });
  await deliver(ctx, effects);
  return row;
}

/** Cancels the running limit's timers and schedules the next one's; returns the row's limit columns. */
export async function limitPatch(
  ctx: TransfersContext,
  trx: Transaction<DB>,
  t: Pick<TransferRow, 'id'>,
  next: StepOutcome['next'],
  effects: OutboxRow[],
) {
  effects.push(...(await cancelOwnedTimers(trx, ownerOf(t.id), [...TIMER_KINDS])));
  if (!next) return { step: null, step_due_at: null, reminded_at: null, overdue_at: null };
  const { dueAt, remindAt } = dueOf(await ctx.calendar.calendarFor(trx), next.step, next.from);
  const timers = [{ kind: DEADLINE_KIND, dueAt }, ...(remindAt ? [{ kind: REMINDER_KIND, dueAt: remindAt }] : [])];
  effects.push(...(await scheduleOwnedTimers(trx, ownerOf(t.id), timers)));
  return { step: next.step, step_due_at: dueAt, reminded_at: null, overdue_at: null };
}

/** A step done after its limit: the record says which limit, by how long, and under which article. */
function lateness(t: TransferRow, now: Date) {
  if (!t.step || !t.step_due_at || now <= t.step_due_at) return null;
  const limit = TIME_LIMITS[t.step as StepKey];
  if (limit?.party !== 'agency' || WINDOW_STEPS.includes(t.step as StepKey)) return null;
  return { step: t.step, dueAt: t.step_due_at.toISOString(), article: `${REGULATION}${limit.article}` };
}

export async function record(
  ctx: TransfersContext,
  trx: Transaction<DB>,
  c: Pick<CaseRow, 'id' | 'instance_id'>,
  actorId: string | null,
  at: Date,
  type: string,
  payload: Record<string, unknown>,
) {
  await recordCaseEvent(ctx.history, trx, c, { type, actorId, at, payload: { caseId: c.id, ...payload } });
}

export async function deliver(ctx: TransfersContext, effects: OutboxRow[]) {
  await deliverCommitted(ctx, effects).catch((err) => ctx.log.warn({ err }, 'transfer timer deferred to relay'));
}

export const STATUS_LABELS: Record<TransferStatus, string> = {
  reported: '已报告，待负责人审批',
  refused: '负责人不批准移送',
  approved: '已批准，待移送',
  sent: '已移送，待公安机关签收',
  received: '公安机关已签收，待决定是否立案',
  filed: '公安机关已立案',
  declined: '公安机关不予立案',
  review_requested: '已提请复议',
  review_declined: '复议维持不予立案',
  handed_over: '已移交涉案物品及材料',
  returned: '已退回本机关继续办理',
  supervision_requested: '已建议人民检察院立案监督',
  supervision_upheld: '人民检察院认为不立案理由成立',
};

/**
 * 批准 or 不批准 is the 正职负责人或者主持工作的负责人's (第五条), as the agency's leadership list names them: a deputy
 * may not decide, and nobody may while the list names no one.
 */
export async function assertPresiding(ctx: TransfersContext, actor: Actor, departmentId: string) {
  const presiding = await presidingLeader(ctx.db, departmentId);
  if (!presiding) {
    throw new AppError(
      409,
      'PREREQUISITE_MISSING',
      `移送涉嫌犯罪案件须报经本机关正职负责人或者主持工作的负责人审批（${REGULATION}第五条）；领导班子名单尚未指定该负责人，请法制机构管理员在“领导班子名单”中指定`,
    );
  }
  if (presiding.userId !== actor.id) {
    throw new AppError(
      403,
      'FORBIDDEN',
      `移送涉嫌犯罪案件由本机关正职负责人或者主持工作的负责人${presiding.name}（${presiding.position}）审批（${REGULATION}第五条）`,
    );
  }
}

/** The agency's staff who record what the organs answered. */
export const STAFF = ['officer', 'legal_admin', 'chief'] as const;
export const invalid = (message: string, field: string) => new AppError(400, 'VALIDATION_FAILED', message, { field });

/** A time given by the caller (when the organ signed, when its notice arrived): not in the future, not before `after`. */
export function pastTime(value: string | undefined, now: Date, after: Date | null, field: string): Date {
  const at = value ? new Date(value) : now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 60_000) throw invalid('时间不能晚于现在', field);
  if (after && at < after) throw invalid('时间不能早于上一步骤', field);
  return at;
}
