import type { Kysely } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import { requireWithdrawal } from '../publicity/disclosures/withdrawal-required.js';
import { recordCaseEvent } from '../records/append.js';
import { instantToShanghaiDate, tryDayNumber } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import {
  CHALLENGE_KINDS,
  CHALLENGE_OUTCOMES,
  type ChallengeKind,
  type ChallengeOutcome,
  CORRECTING,
  WITHDRAW_WORKING_DAYS,
} from './outcomes.js';
import * as q from './queries.js';

export interface ChallengeContext {
  db: Kysely<DB>;
  calendar: CalendarService;
  clock: Clock;
  history: HistoryListeners;
}

export interface ChallengeInput {
  kind: ChallengeKind;
  organ: string;
  outcome: ChallengeOutcome;
  decidedOn: string;
  documentNumber: string;
  note?: string;
}

/** The case, if the actor's legal unit (or head) may record its challenges: its own agency's decided case. */
async function decidedCaseOf(ctx: ChallengeContext, actor: Actor, caseId: string) {
  const c = await ctx.db
    .selectFrom('cases')
    .select(['id', 'instance_id', 'department_id', 'status', 'decision'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!c || c.department_id !== actor.departmentId) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  if (c.status !== 'decided' || !c.decision) throw new AppError(409, 'CONFLICT', '该案件尚未作出执法决定');
  return c as typeof c & { decision: { date?: string; number?: string } };
}

/**
 * Records what a 复议 or a court decided about the decision, in the case's record; an outcome that corrects
 * it (变更, 撤销, 确认违法, 确认无效) obliges its disclosure to be withdrawn within three working days of the
 * day that outcome took effect, with the reason published.
 */
export async function recordChallenge(ctx: ChallengeContext, actor: Actor, caseId: string, input: ChallengeInput) {
  const c = await decidedCaseOf(ctx, actor, caseId);
  const now = ctx.clock.now();
  const today = instantToShanghaiDate(now);
  if (tryDayNumber(input.decidedOn) === undefined) throw new AppError(400, 'VALIDATION_FAILED', '生效日期无效');
  if (input.decidedOn > today) throw new AppError(422, 'VALIDATION_FAILED', '生效日期不能晚于今天');
  if (c.decision.date && input.decidedOn < c.decision.date) {
    throw new AppError(422, 'VALIDATION_FAILED', `生效日期不能早于执法决定日期（${c.decision.date}）`);
  }
  const correcting = CORRECTING.includes(input.outcome);
  const calendar = await ctx.calendar.calendarFor(ctx.db);
  const withdrawBy = correcting ? addWorkingDays(calendar, input.decidedOn, WITHDRAW_WORKING_DAYS).dueAt : null;
  const label = `${CHALLENGE_KINDS[input.kind]}${CHALLENGE_OUTCOMES[input.outcome]}`;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await q.insertChallenge(trx, {
      caseId,
      ...input,
      note: input.note?.trim() ?? '',
      recordedBy: actor.id,
      at: now,
    });
    await recordCaseEvent(ctx.history, trx, c, {
      type: 'case.challenge_decided',
      actorId: actor.id,
      payload: { challengeId: row.id, ...input, correcting },
      at: now,
    });
    const disclosure = withdrawBy
      ? await requireWithdrawal(trx, caseId, {
          dueAt: withdrawBy,
          reason: `${input.organ}${label}（${input.documentNumber}）`,
          actorId: actor.id,
          at: now,
        })
      : 'none';
    return { id: row.id, correcting, withdrawBy, disclosure };
  });
}

export async function challengesOf(ctx: ChallengeContext, actor: Actor, caseId: string) {
  await decidedCaseOf(ctx, actor, caseId);
  return q.challengesOfCase(ctx.db, caseId);
}
