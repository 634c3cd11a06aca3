import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { totalPoints } from './checklist.js';
import * as q from './queries.js';
import { roundResults } from './results.js';
import { type EvaluationContext, roundOr404 } from './service.js';

export const SEES_ALL = ['supervisor', 'admin'] as const;
const seesAll = (actor: Actor) => actor.roles.some((r) => (SEES_ALL as readonly string[]).includes(r));

type Round = Awaited<ReturnType<typeof roundOr404>>;

/** Moments as the API writes them. */
export function iso(d: Date): string;
export function iso(d: Date | null): string | null;
export function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function roundSummary(r: Round) {
  return {
    id: r.id,
    title: r.title,
    year: r.year,
    seed: r.seed,
    perAgency: r.per_agency,
    evaluatorsPerCase: r.evaluators_per_case,
    status: r.status,
    createdAt: iso(r.created_at),
    closedAt: iso(r.closed_at),
    rectifyDueAt: iso(r.rectify_due_at),
  };
}

/**
 * A round as the reader may see it: the justice bureau everything; an evaluated agency's legal unit, once
 * the round is closed, its own cases and row (with its rank) and the other agencies' scores and ranks only.
 */
export async function roundView(ctx: EvaluationContext, actor: Actor, roundId: string) {
  const round = await roundOr404(ctx, roundId);
  const all = seesAll(actor);
  const own = round.population.departments.some((d) => d.departmentId === actor.departmentId && d.drawn > 0);
  if (!all && !(actor.roles.includes('legal_admin') && own)) throw new AppError(403, 'FORBIDDEN', '无权查看该次评查');
  if (!all && round.status !== 'closed') throw new AppError(409, 'CONFLICT', '评查尚未结束，结果暂不公布');
  const [drawn, answers] = await Promise.all([q.drawnOfRound(ctx.db, roundId), q.rectificationsOf(ctx.db, roundId)]);
  const names = await q.departmentNames(
    ctx.db,
    round.population.departments.map((d) => d.departmentId),
  );
  const results = roundResults(round, drawn, answers, ctx.clock.now());
  const mine = (departmentId: string) => all || departmentId === actor.departmentId;
  return {
    round: roundSummary(round),
    checklist: { ...round.checklist, total: totalPoints(round.checklist) },
    population: {
      digest: round.population.digest,
      departments: round.population.departments.map((d) => ({ ...d, departmentName: names.get(d.departmentId) ?? '' })),
    },
    progress: results.progress,
    cases: results.cases
      .filter((c) => mine(c.departmentId))
      .map((c) => ({ ...c, evaluators: c.evaluators.map((e) => ({ ...e, submittedAt: iso(e.submittedAt) })) })),
    agencies: results.agencies.map((a) =>
      mine(a.departmentId)
        ? {
            ...a,
            rectification: {
              overdue: a.rectification.overdue,
              answers: a.rectification.answers.map((x) => ({
                id: x.id,
                answer: x.answer,
                answeredBy: x.answered_by,
                answeredAt: iso(x.answered_at),
              })),
            },
          }
        : { ...a, commonDeductions: [], rectification: { overdue: a.rectification.overdue, answers: [] } },
    ),
  };
}

export async function roundsFor(ctx: EvaluationContext, actor: Actor) {
  const rounds = await q.listRounds(ctx.db);
  return rounds
    .filter(
      (r) =>
        seesAll(actor) ||
        (actor.roles.includes('legal_admin') &&
          r.status === 'closed' &&
          r.population.departments.some((d) => d.departmentId === actor.departmentId && d.drawn > 0)),
    )
    .map(roundSummary);
}
