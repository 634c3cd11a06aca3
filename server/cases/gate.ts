import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { recordCaseEvent } from '../records/append.js';
import * as q from './queries.js';
import type { CaseRow, Conclusion } from './tables.js';

/** The two acts the gate stands before: the chief's decision and the recorded enforcement decision. */
export type GatedAct = 'chief_decision' | 'record_decision';

const ACT_LABELS: Record<GatedAct, string> = { chief_decision: '负责人决定', record_decision: '作出执法决定' };

/** Conclusions that let the case go to the chief: the review passed (同意) or recommends transfer (建议移送). */
const PASSING: readonly Conclusion[] = ['approve', 'transfer'];

export const GATE_NAME = '法制审核闸门';

/**
 * A further condition another capability puts before the recorded decision (the case lifecycle's 告知, 陈述申辩
 * and 听证 order, 行政处罚法第六十二条). Returns the refusal (a 4xx AppError) or null. Checked with the gate, at
 * every door and in the service task, so the page and the API refuse alike.
 */
export type DecisionPrecondition = (
  db: Kysely<DB> | Transaction<DB>,
  c: CaseRow,
  now: Date,
) => Promise<AppError | null>;

async function preconditionRefusal(
  db: Kysely<DB> | Transaction<DB>,
  c: CaseRow,
  act: GatedAct,
  now: Date,
  preconditions: readonly DecisionPrecondition[] | undefined,
): Promise<AppError | null> {
  if (act !== 'record_decision') return null;
  for (const check of preconditions ?? []) {
    const refusal = await check(db, c, now);
    if (refusal) return refusal;
  }
  return null;
}

type GateCase = Pick<
  CaseRow,
  'review_mandatory' | 'review_requested' | 'current_round' | 'chief_decision' | 'coordination'
>;

/**
 * The gate of DOMAIN.md §1 (未经法制审核或者审核未通过的，不得作出决定) as an invariant, whatever flow is deployed:
 * a case that needs review reaches the chief only with an opinion on its current packet that passed, or with a
 * disagreement that was re-reviewed and coordinated on that packet (the chief then decides and answers for it);
 * its decision is recorded only after the chief approved it. Returns why the act is refused, or null.
 */
export function gateRefusal(
  c: GateCase,
  latest: { round: number; conclusion: Conclusion; kind: 'review' | 'rereview' } | undefined,
  act: GatedAct,
): string | null {
  if (!c.review_mandatory && !c.review_requested) return null;
  const label = ACT_LABELS[act];
  const rule = '未经法制审核或者审核未通过的，不得作出决定';
  if (!latest || latest.round !== c.current_round) {
    return `${GATE_NAME}：本案须经法制审核，当前送审材料（第${c.current_round}轮）尚未经法制审核，不得${label}（${rule}）`;
  }
  const coordinated = c.coordination?.round === c.current_round && c.coordination.outcome !== 'agree_with_review';
  const disagreementHeard = latest.kind === 'rereview' && latest.conclusion === 'disapprove' && coordinated;
  if (!PASSING.includes(latest.conclusion) && !disagreementHeard) {
    return `${GATE_NAME}：本案当前送审材料的法制审核未通过，且未经复核、协调报请负责人决定，不得${label}（${rule}）`;
  }
  if (act === 'record_decision') {
    const approved = c.chief_decision?.decision === 'approve' || c.chief_decision?.decision === 'approve_modified';
    if (!approved) return `${GATE_NAME}：负责人尚未决定作出本决定，不得${label}（${rule}）`;
  }
  return null;
}

/** The refusal in the one error shape (409 REVIEW_NOT_PASSED). */
export function gateError(message: string, c: Pick<CaseRow, 'review_passed' | 'current_round'>, act: GatedAct) {
  return new AppError(409, 'REVIEW_NOT_PASSED', message, {
    gate: GATE_NAME,
    act,
    reviewPassed: c.review_passed,
    round: c.current_round,
  });
}

/** Checks the gate inside a transaction (the service tasks' own check); throws the refusal. */
export async function assertGate(
  trx: Transaction<DB>,
  c: CaseRow,
  act: GatedAct,
  more?: { preconditions?: readonly DecisionPrecondition[]; now: Date },
) {
  const refusal = gateRefusal(c, await q.latestOpinion(trx, c.id), act);
  if (refusal) throw gateError(refusal, c, act);
  const further = more && (await preconditionRefusal(trx, c, act, more.now, more.preconditions));
  if (further) throw further;
}

/**
 * Checks the gate at a door (a task's completion, the direct decision route) before anything is written; a
 * refused attempt is recorded in the case's record (committed on its own) and then refused.
 */
export async function guardGate(
  deps: {
    db: Database;
    history: HistoryListeners;
    now: () => Date;
    decisionPreconditions?: readonly DecisionPrecondition[];
  },
  c: CaseRow,
  act: GatedAct,
  actorId: string | null,
) {
  const refusal = gateRefusal(c, await q.latestOpinion(deps.db, c.id), act);
  if (!refusal) {
    const further = await preconditionRefusal(deps.db, c, act, deps.now(), deps.decisionPreconditions);
    if (!further) return;
    await deps.db.transaction().execute((trx) =>
      recordCaseEvent(deps.history, trx, c, {
        type: 'case.gate_refused',
        actorId,
        at: deps.now(),
        payload: { caseId: c.id, act, round: c.current_round, reason: further.message, code: further.code },
      }),
    );
    throw further;
  }
  await deps.db.transaction().execute((trx) =>
    recordCaseEvent(deps.history, trx, c, {
      type: 'case.gate_refused',
      actorId,
      at: deps.now(),
      payload: { caseId: c.id, act, round: c.current_round, reason: refusal },
    }),
  );
  throw gateError(refusal, c, act);
}
