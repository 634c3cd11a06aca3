import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import { recordCaseEvent } from '../records/append.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import {
  type Checklist,
  type ChecklistItem,
  checklistProblems,
  type Deduction,
  drawSample,
  populationDigest,
  STANDARD_CHECKLIST,
  scoreOf,
} from './checklist.js';
import * as q from './queries.js';

export interface EvaluationContext {
  db: Kysely<DB>;
  calendar: CalendarService;
  clock: Clock;
  history: HistoryListeners;
}

/** Users who may evaluate: the justice bureau's supervisors and the reviewers (the pool's lawyers). */
const EVALUATOR_ROLES = ['supervisor', 'reviewer'];

export async function createChecklist(
  ctx: EvaluationContext,
  actor: Actor,
  c: { title: string; items: ChecklistItem[] },
) {
  const problems = checklistProblems(c);
  if (problems.length) throw new AppError(422, 'VALIDATION_FAILED', problems[0], { problems });
  return q.insertChecklist(ctx.db, { ...c, createdBy: actor.id });
}

export interface RoundInput {
  title: string;
  year: number;
  perAgency: number;
  evaluatorIds: string[];
  evaluatorsPerCase: number;
  checklistId?: string;
  seed?: string;
  rectifyWorkingDays?: number;
}

/**
 * Opens a round: draws each agency's sample from the cases decided in the year, reproducibly from the seed
 * (given, or 16 random bytes, recorded either way), and assigns each case to evaluators, never one of the
 * case's own agency (回避), the least loaded first.
 */
export async function createRound(ctx: EvaluationContext, actor: Actor, input: RoundInput) {
  const checklist: Checklist = input.checklistId
    ? await q.findChecklist(ctx.db, input.checklistId).then((c) => {
        if (!c) throw new AppError(404, 'NOT_FOUND', '评查标准不存在', { checklistId: input.checklistId });
        return { id: c.id, title: c.title, items: c.items };
      })
    : { id: null, ...STANDARD_CHECKLIST };
  const evaluatorIds = [...new Set(input.evaluatorIds)];
  const users = await q.usersByIds(ctx.db, evaluatorIds);
  const evaluators = evaluatorIds.map((id) => {
    const u = users.find((x) => x.id === id);
    if (!u?.roles.some((r) => EVALUATOR_ROLES.includes(r))) {
      throw new AppError(422, 'VALIDATION_FAILED', '评查人员须为在职的执法监督人员或法制审核人员', { userId: id });
    }
    return u;
  });
  const seed = input.seed?.trim() || randomBytes(16).toString('hex');
  const eligible = await q.decidedCasesOfYear(ctx.db, input.year);
  const groups = new Map<string, string[]>();
  for (const c of eligible) groups.set(c.department_id, [...(groups.get(c.department_id) ?? []), c.id]);
  const population = [...groups].map(([departmentId, caseIds]) => ({ departmentId, caseIds }));
  if (!population.length) {
    throw new AppError(422, 'VALIDATION_FAILED', `${input.year}年没有已作出决定的案件可供抽取`, { year: input.year });
  }
  const load = new Map(evaluators.map((e) => [e.id, 0]));
  const drawn = population.flatMap(({ departmentId, caseIds }) =>
    drawSample(seed, departmentId, caseIds, input.perAgency).map((caseId) => {
      const free = evaluators
        .filter((e) => e.department_id !== departmentId)
        .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0))
        .slice(0, input.evaluatorsPerCase);
      if (free.length < input.evaluatorsPerCase) {
        throw new AppError(
          422,
          'VALIDATION_FAILED',
          `评查人员不足：每案需${input.evaluatorsPerCase}名与被评查机关无关的评查人员`,
          {
            departmentId,
          },
        );
      }
      for (const e of free) load.set(e.id, (load.get(e.id) ?? 0) + 1);
      return { caseId, departmentId, evaluators: free.map((e) => e.id) };
    }),
  );
  const counts = population.map((p) => ({
    departmentId: p.departmentId,
    eligible: p.caseIds.length,
    drawn: Math.min(input.perAgency, p.caseIds.length),
  }));
  return ctx.db.transaction().execute(async (trx) => {
    const { id } = await q.insertRound(trx, {
      title: input.title,
      year: input.year,
      seed,
      perAgency: input.perAgency,
      evaluatorsPerCase: input.evaluatorsPerCase,
      checklist,
      population: { departments: counts, digest: populationDigest(population) },
      rectifyWorkingDays: input.rectifyWorkingDays ?? 15,
      createdBy: actor.id,
    });
    await q.insertDrawn(trx, id, drawn);
    return { id, seed, drawn: drawn.length };
  });
}

export async function roundOr404(ctx: EvaluationContext, roundId: string) {
  const round = await q.findRound(ctx.db, roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', '评查活动不存在', { roundId });
  return round;
}

/** The evaluator's own row for the case, or 403/404: only the assigned evaluators score and read a case. */
async function assignment(ctx: EvaluationContext, actor: Actor, roundId: string, caseId: string) {
  const row = await q.scoreRow(ctx.db, roundId, caseId, actor.id);
  if (!row) throw new AppError(403, 'FORBIDDEN', '您不是该案卷的评查人员');
  return row;
}

/** The case as the evaluator reads it, its record included; the reading is itself recorded in the case. */
export async function readForEvaluation(ctx: EvaluationContext, actor: Actor, roundId: string, caseId: string) {
  await assignment(ctx, actor, roundId, caseId);
  const c = await ctx.db
    .selectFrom('cases')
    .select(['id', 'instance_id'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  const at = ctx.clock.now();
  await ctx.db.transaction().execute((trx) =>
    recordCaseEvent(ctx.history, trx, c, {
      type: 'case.viewed_by_evaluator',
      actorId: actor.id,
      payload: { caseId, roundId },
      at,
    }),
  );
}

export async function submitScore(
  ctx: EvaluationContext,
  actor: Actor,
  key: { roundId: string; caseId: string },
  input: { deductions: Deduction[]; comment: string },
) {
  const round = await roundOr404(ctx, key.roundId);
  await assignment(ctx, actor, key.roundId, key.caseId);
  if (round.status !== 'scoring') throw new AppError(409, 'CONFLICT', '评查活动已结束，评分不能再修改');
  const { score, problems } = scoreOf(round.checklist, input.deductions);
  if (problems.length) throw new AppError(422, 'VALIDATION_FAILED', problems[0], { problems });
  const c = await ctx.db
    .selectFrom('cases')
    .select(['id', 'instance_id'])
    .where('id', '=', key.caseId)
    .executeTakeFirstOrThrow();
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await q.findRound(trx, key.roundId, true);
    if (locked?.status !== 'scoring') throw new AppError(409, 'CONFLICT', '评查活动已结束，评分不能再修改');
    await q.saveScore(
      trx,
      { ...key, evaluatorId: actor.id },
      { score, deductions: input.deductions, comment: input.comment, at },
    );
    await recordCaseEvent(ctx.history, trx, c, {
      type: 'case.evaluated',
      actorId: actor.id,
      payload: { caseId: key.caseId, roundId: key.roundId, score, deductions: input.deductions.map((d) => d.standard) },
      at,
    });
  });
  return { score };
}

/** Ends scoring once every evaluator has scored; the agencies' rectification period starts. */
export async function closeRound(ctx: EvaluationContext, roundId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const round = await q.findRound(trx, roundId, true);
    if (!round) throw new AppError(404, 'NOT_FOUND', '评查活动不存在', { roundId });
    if (round.status !== 'scoring') throw new AppError(409, 'CONFLICT', '评查活动已结束');
    const { scores } = await q.drawnOfRound(trx, roundId);
    const open = scores.filter((s) => !s.submitted_at).length;
    if (open) throw new AppError(409, 'CONFLICT', `尚有${open}份评分未提交，不能结束评查`, { open });
    const now = ctx.clock.now();
    const due = addWorkingDays(
      await ctx.calendar.calendarFor(trx),
      instantToShanghaiDate(now),
      round.rectify_working_days,
    );
    await q.closeRound(trx, roundId, now, due.dueAt);
    return { closedAt: now, rectifyDueAt: due.dueAt };
  });
}

/** The agency's answer (整改情况) to a closed round in which it was evaluated. */
export async function answerRectification(ctx: EvaluationContext, actor: Actor, roundId: string, answer: string) {
  const round = await roundOr404(ctx, roundId);
  if (round.status !== 'closed') throw new AppError(409, 'CONFLICT', '评查结果尚未发布，暂不能提交整改情况');
  const evaluated = round.population.departments.some((d) => d.departmentId === actor.departmentId && d.drawn > 0);
  if (!evaluated) throw new AppError(403, 'FORBIDDEN', '本机关未参加该次评查');
  return q.insertRectification(ctx.db, {
    roundId,
    departmentId: actor.departmentId,
    answer,
    answeredBy: actor.id,
    at: ctx.clock.now(),
  });
}
