import type { Database } from '../database/connect.js';
import type { HistoryListeners } from '../engine/registry.js';
import type { FieldProblem, StepRules } from '../tasks/step-rules.js';
import { type GatedAct, guardGate } from './gate.js';
import * as q from './queries.js';
import { CONCLUSION_LABELS, CRIME_POINT, FINDING_LABELS, REVIEW_POINTS } from './review-points.js';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// A department's BPMN may offer the codes rather than the labels; the opinion's service task reads either.
const isNonconforming = (v: unknown) => v === FINDING_LABELS.nonconform || v === 'nonconform';
const isTransfer = (v: unknown) => v === FINDING_LABELS.transfer_required || v === 'transfer_required';
const isApproval = (v: unknown) => v === CONCLUSION_LABELS.approve || v === 'approve';
const isTransferConclusion = (v: unknown) => v === CONCLUSION_LABELS.transfer || v === 'transfer';

/**
 * The points of an opinion (法制审核 or 复核): a point found 不符合 says why (the signed opinion must not carry an
 * unexplained defect), and so does a crime point answered 是（需移送）; an opinion with such a point cannot approve
 * (`approves`, and `conclusionField` is where the page shows it); a suspected crime is concluded 建议移送司法机关.
 */
function pointProblems(
  values: Readonly<Record<string, unknown>>,
  approves: boolean,
  conclusionField: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let nonconforming = 0;
  for (const p of REVIEW_POINTS) {
    const finding = values[`finding_${p.key}`];
    const transfer = p.key === CRIME_POINT && isTransfer(finding);
    if (!isNonconforming(finding) && !transfer) continue;
    if (!transfer) nonconforming++;
    if (!text(values[`note_${p.key}`])) {
      const message = transfer
        ? '认为涉嫌犯罪需移送的，须说明涉嫌的犯罪及理由'
        : `“${p.label}”审核结果为“不符合”的，须说明理由`;
      problems.push({ field: `note_${p.key}`, message });
    }
  }
  if (nonconforming && approves) {
    const what = conclusionField === 'maintain' ? '复核不能改为“同意”' : '审核结论不能为“同意”';
    problems.push({ field: conclusionField, message: `有 ${nonconforming} 项审核结果为“不符合”，${what}` });
  }
  return problems;
}

function reviewFindings(values: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems = pointProblems(values, isApproval(values.conclusion), 'conclusion');
  const crime = values[`finding_${CRIME_POINT}`];
  if (isTransfer(crime) && !isTransferConclusion(values.conclusion)) {
    problems.push({ field: 'conclusion', message: '认为涉嫌犯罪需移送的，审核结论应为“建议移送司法机关”' });
  } else if (isTransferConclusion(values.conclusion) && (crime === FINDING_LABELS.no_crime || crime === 'no_crime')) {
    problems.push({ field: 'conclusion', message: '审核结论为“建议移送司法机关”的，“涉嫌犯罪移送”应答“是（需移送）”' });
  }
  return problems;
}

/** 复核: a new opinion with its own points, consistent with whether it changes the opinion to 同意. */
function rereviewFindings(values: Readonly<Record<string, unknown>>): FieldProblem[] {
  return pointProblems(values, values.maintain === false, 'maintain');
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
  rules.add('rereview', rereviewFindings);
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
