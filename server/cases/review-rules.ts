import type { Database } from '../database/connect.js';
import type { HistoryListeners } from '../engine/registry.js';
import type { FieldProblem, StepRules } from '../tasks/step-rules.js';
import { type GatedAct, guardGate } from './gate.js';
import * as q from './queries.js';
import { CONCLUSION_LABELS, FINDING_LABELS, REVIEW_POINTS } from './review-points.js';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// A department's BPMN may offer the codes rather than the labels; the opinion's service task reads either.
const isNonconforming = (v: unknown) => v === FINDING_LABELS.nonconform || v === 'nonconform';
const isApproval = (v: unknown) => v === CONCLUSION_LABELS.approve || v === 'approve';

/**
 * 法制审核: a point found 不符合 says why (the signed opinion must not carry an unexplained defect), and an
 * opinion with such a point cannot conclude 同意.
 */
function reviewFindings(values: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let nonconforming = 0;
  for (const p of REVIEW_POINTS) {
    if (!isNonconforming(values[`finding_${p.key}`])) continue;
    nonconforming++;
    if (!text(values[`note_${p.key}`])) {
      problems.push({ field: `note_${p.key}`, message: `“${p.label}”审核结果为“不符合”的，须说明理由` });
    }
  }
  if (nonconforming && isApproval(values.conclusion)) {
    problems.push({
      field: 'conclusion',
      message: `有 ${nonconforming} 项审核结果为“不符合”，审核结论不能为“同意”`,
    });
  }
  return problems;
}

/** 受理审查: a packet found incomplete lists what is missing, so the 补正材料通知书 can name it. */
function acceptanceMaterials(values: Readonly<Record<string, unknown>>): FieldProblem[] {
  if (values.complete !== false || text(values.missing)) return [];
  return [{ field: 'missing', message: '材料不全的，请列明需要补充的材料' }];
}

export interface ReviewRulesDeps {
  db: Database;
  history: HistoryListeners;
  now: () => Date;
}

/** The review's rules on its step forms; the tasks service applies them at every door. */
export function registerReviewRules(rules: StepRules): void {
  rules.add('review', reviewFindings);
  rules.add('accept', acceptanceMaterials);
}

/** The gate before the decision steps, whatever flow reaches them (the attempt is recorded, then refused). */
export function registerReviewGate(rules: StepRules, deps: ReviewRulesDeps): void {
  for (const act of ['chief_decision', 'record_decision'] as GatedAct[]) {
    rules.guard(act, async (task, actorId) => {
      const c = await q.findCaseByInstance(deps.db, task.instanceId);
      if (c) await guardGate(deps, c, act, actorId);
    });
  }
}
