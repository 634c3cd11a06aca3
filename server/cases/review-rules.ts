import type { Database } from '../database/connect.js';
import type { FormField } from '../engine/forms.js';
import type { HistoryListeners } from '../engine/registry.js';
import type { FieldProblem, RuleTask, StepRules } from '../tasks/step-rules.js';
import { correctionProblems, type SubmittedOfTask } from './correction-items.js';
import { type DecisionPrecondition, type GatedAct, guardGate } from './gate.js';
import { pointsForCase } from './point-lists.js';
import * as q from './queries.js';
import { CONCLUSION_LABELS, CRIME_POINT, FINDING_LABELS, REVIEW_POINTS, type ReviewPoint } from './review-points.js';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// A department's BPMN may offer the codes rather than the labels; the opinion's service task reads either.
const isNonconforming = (v: unknown) => v === FINDING_LABELS.nonconform || v === 'nonconform';
const isTransfer = (v: unknown) => v === FINDING_LABELS.transfer_required || v === 'transfer_required';
const isApproval = (v: unknown) => v === CONCLUSION_LABELS.approve || v === 'approve';
const isTransferConclusion = (v: unknown) => v === CONCLUSION_LABELS.transfer || v === 'transfer';
/** The conclusions that find fault (修改后同意, 退回补正, 不同意), by label or code; null for 同意 and 移送. */
const faultLabel = (v: unknown): string | null => {
  for (const code of ['approve_with_changes', 'return', 'disapprove'] as const) {
    if (v === code || v === CONCLUSION_LABELS[code]) return CONCLUSION_LABELS[code];
  }
  return null;
};

/**
 * The points of an opinion (法制审核 or 复核): a point found 不符合 says why (the signed opinion must not carry an
 * unexplained defect), and so does a crime point answered 是（需移送）; an opinion with such a point cannot approve
 * (`approves`, and `conclusionField` is where the page shows it); a suspected crime is concluded 建议移送司法机关.
 */
function pointProblems(
  points: readonly ReviewPoint[],
  values: Readonly<Record<string, unknown>>,
  approves: boolean,
  conclusionField: string,
  /** The fault-finding conclusion the opinion signs (its label), if any. */
  faults: string | null,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let nonconforming = 0;
  for (const p of points) {
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
  if (!nonconforming && faults) problems.push({ field: conclusionField, message: faultWithoutFinding(faults) });
  return problems;
}

/** The signed opinion would find fault while stating every point 符合: it must say which point is wrong. */
export const faultWithoutFinding = (label: string) =>
  `审核结论为“${label}”的，应至少有一项审核结果为“不符合”并说明理由`;

function reviewFindings(points: readonly ReviewPoint[], values: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems = pointProblems(
    points,
    values,
    isApproval(values.conclusion),
    'conclusion',
    faultLabel(values.conclusion),
  );
  const crime = values[`finding_${CRIME_POINT}`];
  if (isTransfer(crime) && !isTransferConclusion(values.conclusion)) {
    problems.push({ field: 'conclusion', message: '认为涉嫌犯罪需移送的，审核结论应为“建议移送司法机关”' });
  } else if (isTransferConclusion(values.conclusion) && (crime === FINDING_LABELS.no_crime || crime === 'no_crime')) {
    problems.push({ field: 'conclusion', message: '审核结论为“建议移送司法机关”的，“涉嫌犯罪移送”应答“是（需移送）”' });
  }
  return problems;
}

/** 复核: a new opinion with its own points, consistent with whether it changes the opinion to 同意. */
function rereviewFindings(points: readonly ReviewPoint[], values: Readonly<Record<string, unknown>>): FieldProblem[] {
  // Maintaining the opinion signs 不同意 again, with this re-review's own findings.
  const maintains = values.maintain === true && !isTransfer(values[`finding_${CRIME_POINT}`]);
  return pointProblems(
    points,
    values,
    values.maintain === false,
    'maintain',
    maintains ? CONCLUSION_LABELS.disapprove : null,
  );
}

/** How the form asks one point: its answer (the crime point asks 否 / 是（需移送）) and the note beside it. */
export function pointFields(points: readonly ReviewPoint[]): FormField[] {
  return points.flatMap((p): FormField[] => [
    {
      name: `finding_${p.key}`,
      label: p.label,
      type: 'enum',
      required: true,
      options:
        p.key === CRIME_POINT
          ? [FINDING_LABELS.no_crime, FINDING_LABELS.transfer_required]
          : [FINDING_LABELS.conform, FINDING_LABELS.nonconform, FINDING_LABELS.not_applicable],
    },
    { name: `note_${p.key}`, label: `${p.label}：说明`, type: 'text', required: false, maxLength: 2000 },
  ]);
}

/**
 * The points of the task's case; null for a task that serves no case (a flow of the department's own that marks
 * a step `review` asks what its BPMN declares, nothing more). Outside a task, the defaults.
 */
export type PointsOfTask = (task: RuleTask | null) => Promise<readonly ReviewPoint[] | null>;

const defaultPoints: PointsOfTask = async () => REVIEW_POINTS;

/**
 * The points of the case a task serves, as its department (and catalogue item) configured them. A completion
 * asks twice (the form's fields, then the rules) with one `RuleTask`: the second ask gets the first read.
 */
export function casePoints(db: Database): PointsOfTask {
  const read = new WeakMap<RuleTask, Promise<readonly ReviewPoint[] | null>>();
  const load = async (task: RuleTask) => {
    const c = await q.findCaseByInstance(db, task.instanceId);
    return c ? pointsForCase(db, c) : null;
  };
  return (task) => {
    if (!task) return Promise.resolve(REVIEW_POINTS);
    let points = read.get(task);
    if (!points) {
      points = load(task);
      read.set(task, points);
    }
    return points;
  };
}

/**
 * 受理审查: a packet found incomplete lists what is missing, so the 补正材料通知书 can name it, and says what is wrong
 * with a material the case already shows (`submitted`; null outside a case), since the notice cannot call it missing.
 */
function acceptanceMaterials(
  values: Readonly<Record<string, unknown>>,
  submitted: readonly string[] | null,
): FieldProblem[] {
  if (values.complete !== false) return [];
  const missing = text(values.missing);
  if (!missing) return [{ field: 'missing', message: '材料不全的，请列明需要补充的材料' }];
  return correctionProblems(missing, submitted ?? []);
}

export interface ReviewRulesDeps {
  db: Database;
  history: HistoryListeners;
  now: () => Date;
  decisionPreconditions?: readonly DecisionPrecondition[];
}

/** The review's rules on its step forms; the tasks service applies them at every door. */
export function registerReviewRules(
  rules: StepRules,
  pointsOf: PointsOfTask = defaultPoints,
  submittedOf: SubmittedOfTask = async () => null,
): void {
  rules.add('review', async (values, task) => reviewFindings((await pointsOf(task)) ?? REVIEW_POINTS, values));
  rules.add('rereview', async (values, task) => rereviewFindings((await pointsOf(task)) ?? REVIEW_POINTS, values));
  rules.add('accept', async (values, task) =>
    acceptanceMaterials(values, values.complete === false ? await submittedOf(task) : null),
  );
  // Every point of the case's list is asked, whether or not the flow's BPMN form declares it.
  for (const step of ['review', 'rereview']) {
    rules.fields(step, async (task) => pointFields((await pointsOf(task)) ?? []));
  }
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
