import type { ServiceCall, ServiceRegistry } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { assertMayReview, noReviewerError, pickReviewer } from './assignment.js';
import { agreementConfirmations } from './coordination.js';
import { coordinationDateProblems, coordinationHeld } from './coordination-date.js';
import { registerDecisionServices } from './decision-steps.js';
import { personFor, recordedPerson } from './people.js';
import { pointsForCase } from './point-lists.js';
import * as q from './queries.js';
import { CONCLUSION_LABELS, COORDINATION_LABELS, codeOf, findingsFrom } from './review-points.js';
import { faultWithoutFinding } from './review-rules.js';
import { snapshotRound } from './rounds.js';
import { type CaseServiceDeps, caseOf, serviceKit, text } from './service-kit.js';
import type { CaseRow, CaseStatus, Conclusion, Coordination, OpinionFinding } from './tables.js';

/** The names the review BPMN may call (the deploy whitelist), all registered by registerCaseServices. */
export const CASE_SERVICE_NAMES = [
  'review.requestCompletion',
  'review.resubmitForAcceptance',
  'review.resubmitForReview',
  'review.withdraw',
  'review.assignReviewer',
  'review.recordOpinion',
  'review.recordContest',
  'review.recordRereview',
  'review.recordCoordination',
  'review.recordChiefDecision',
  'review.recordDecision',
  'review.closeNotApproved',
] as const;

/** The service tasks of the review process (workflows/legal-review.bpmn), by the names its BPMN uses. */
export function registerCaseServices(registry: ServiceRegistry, deps: CaseServiceDeps): void {
  const kit = serviceKit(deps);
  const { now, setStatus, issue, setReviewUnit, nextStepOf } = kit;

  registry.add('review.requestCompletion', async (call) => {
    // The notice is the review side's: issued for the unit of whoever examined the packet at acceptance.
    const c = call.actorId ? await setReviewUnit(call, await caseOf(call), call.actorId) : await caseOf(call);
    // The limit is the one the flow gives 补充送审材料 (its timer, or its own limit), and what follows its lapse.
    const next = await nextStepOf(call);
    const completion = next?.task.step === 'complete_packet' ? next : null;
    // An empty list (a flow whose acceptance form does not ask for it) is the notice's own 未列明 row.
    const missing = text(call.variables.missing);
    await issue(call, c, 'correction_notice', { missing, next: completion });
    await setStatus(call, c, 'completing');
    return { completionDue: completion?.due?.date ?? null };
  });

  const resubmit = (status: CaseStatus) => async (call: ServiceCall) => {
    const c = await caseOf(call);
    const round = await snapshotRound(
      call.trx,
      c,
      call.actorId ?? c.submitted_by,
      text(call.variables.correctionNote) || null,
    );
    call.record('case.resubmitted', { caseId: c.id, round: round.round, changes: round.changes.length });
    await setStatus(call, c, status, { currentRound: round.round });
    return { round: round.round };
  };
  registry.add('review.resubmitForAcceptance', resubmit('accepting'));
  registry.add('review.resubmitForReview', resubmit('reviewing'));

  registry.add('review.withdraw', async (call) => {
    const c = await caseOf(call);
    await setStatus(call, c, 'withdrawn');
    return undefined;
  });

  registry.add('review.assignReviewer', async (call) => {
    const c = await caseOf(call);
    const reviewer = await pickReviewer(call.trx, c);
    if (!reviewer) throw await noReviewerError(call.trx, c.department_id);
    await setReviewUnit(call, c, reviewer.id);
    const person = await personFor(call.trx, reviewer.id, c.department_id, 'legal_review');
    call.record('case.reviewer_assigned', {
      caseId: c.id,
      reviewerId: reviewer.id,
      reviewerName: reviewer.display_name,
      by: recordedPerson(person),
      reviewerDepartment: reviewer.department_name,
      basis: reviewer.basis,
    });
    await setStatus(call, c, 'reviewing', { reviewerId: reviewer.id });
    return { reviewerId: reviewer.id };
  });

  registry.add('review.recordOpinion', async (call) => {
    const c = await caseOf(call);
    const conclusion = codeOf(CONCLUSION_LABELS, call.variables.conclusion);
    const points = await pointsForCase(call.trx, c);
    assertAnswered(call.variables, points);
    const findings = findingsFrom(call.variables, points);
    assertConsistent(findings, conclusion === 'approve', '存在“不符合”的审核事项，审核结论不能为“同意”', 'conclusion');
    assertFaultFound(findings, conclusion);
    const opinion = await recordOpinion(call, c, 'review', conclusion, findings);
    const next: Record<Conclusion, CaseStatus> = {
      approve: 'deciding',
      transfer: 'deciding',
      approve_with_changes: 'correcting',
      return: 'correcting',
      disapprove: 'contesting',
    };
    await setStatus(call, c, next[conclusion], { reviewPassed: conclusion === 'approve' });
    return { opinionId: opinion.id };
  });

  async function recordOpinion(
    call: ServiceCall,
    locked: CaseRow,
    kind: 'review' | 'rereview',
    conclusion: Conclusion,
    findings: OpinionFinding[],
  ) {
    if (!call.actorId) throw new Error('审核意见必须由审核人员签署');
    await assertMayReview(call.trx, locked.department_id, call.actorId);
    // The opinion is issued by the signing reviewer's unit (or the department's 法制审核机构).
    const c = await setReviewUnit(call, locked, call.actorId);
    const reasons = text(call.variables.reasons);
    // A 复核 signs only what its own form asks: the first review's suggestions stay in the variables, and printed
    // again they would contradict a 复核 that changes the opinion to 同意.
    const suggestions = kind === 'review' ? text(call.variables.suggestions) || null : null;
    // What the opinion tells the handling unit to do next, and by when, is the flow's next step (异议 or 补正); a
    // 复核 opens no further step for it.
    const next = kind === 'review' ? await nextStepOf(call) : null;
    const doc = await issue(call, c, 'review_opinion', { kind, conclusion, findings, reasons, suggestions, next });
    const opinion = await q.insertOpinion(call.trx, {
      case_id: c.id,
      round: c.current_round,
      kind,
      reviewer_id: call.actorId,
      findings,
      conclusion,
      reasons,
      suggestions,
      document_id: doc.id,
    });
    call.record('review.opinion_signed', {
      caseId: c.id,
      opinionId: opinion.id,
      kind,
      round: c.current_round,
      conclusion,
      conclusionLabel: CONCLUSION_LABELS[conclusion],
      documentId: doc.id,
      sm3: doc.sm3,
      by: recordedPerson(await personFor(call.trx, call.actorId, c.department_id, 'legal_review')),
    });
    return opinion;
  }

  registry.add('review.recordContest', async (call) => {
    const c = await caseOf(call);
    const contest = call.variables.contest === true;
    const reasons = text(call.variables.contestReasons);
    if (contest && reasons.length === 0) throw new AppError(400, 'VALIDATION_FAILED', '提出异议须写明理由');
    call.record(contest ? 'case.contested' : 'case.opinion_accepted', {
      caseId: c.id,
      reasons: contest ? reasons : null,
    });
    if (contest) await setStatus(call, c, 'rereviewing');
    return undefined;
  });

  registry.add('review.recordRereview', async (call) => {
    const c = await caseOf(call);
    const maintained = call.variables.maintain === true;
    // A re-review is a new opinion with its own findings. A version deployed before its form had them keeps the
    // findings of the opinion it reconsiders, which only a maintained 不同意 can sign consistently.
    const points = await pointsForCase(call.trx, c);
    const ownFindings = points.some((p) => call.variables[`finding_${p.key}`] != null);
    if (ownFindings) assertAnswered(call.variables, points);
    const findings = ownFindings
      ? findingsFrom(call.variables, points)
      : ((await q.latestOpinion(call.trx, c.id))?.findings ?? findingsFrom({}, points));
    assertConsistent(
      findings,
      !maintained,
      ownFindings
        ? '存在“不符合”的审核事项，复核不能改为“同意”'
        : '复核改为“同意”的，须逐项重新填写审核要点（此流程版本的复核表单没有审核要点，请部署新版本流程）',
      'maintain',
    );
    if (maintained) assertFaultFound(findings, 'disapprove', 'maintain');
    await recordOpinion(call, c, 'rereview', maintained ? 'disapprove' : 'approve', findings);
    await setStatus(call, c, maintained ? 'coordinating' : 'deciding', { reviewPassed: !maintained });
    return { maintained };
  });

  registry.add('review.recordCoordination', async (call) => {
    const c = await caseOf(call);
    // The tasks service checked the date at its doors; a flow whose step is not marked `coordinate` reaches here too.
    const dateProblems = await coordinationDateProblems(call.trx, c, call.variables, now());
    if (dateProblems.length) throw new AppError(400, 'FORM_INVALID', '表单填写有误', { fields: dateProblems });
    const held = coordinationHeld(call.variables);
    // A flow deployed before coordination could end in agreement has no outcome field: it escalates.
    const outcome =
      call.variables.outcome === undefined ? 'escalate' : codeOf(COORDINATION_LABELS, call.variables.outcome);
    // An agreement binds both units: their heads' confirmations (who, when) go into the record and the document.
    const confirmations =
      outcome === 'escalate' ? undefined : await agreementConfirmations(call.trx, c, outcome, call.actorId, now());
    const doc = await issue(call, c, 'coordination_record', {
      outcome,
      confirmations,
      handlingPosition: text(call.variables.handlingPosition),
      reviewPosition: text(call.variables.reviewPosition),
      coordinationNote: text(call.variables.coordinationNote),
      participants: text(call.variables.participants),
      ...held,
    });
    const coordination: Coordination = {
      outcome,
      round: c.current_round,
      heldOn: held.heldOn,
      place: held.place,
      documentId: doc.id,
      recordedBy: call.actorId,
      recordedAt: now().toISOString(),
      ...(confirmations && { confirmations }),
    };
    call.record('case.coordinated', {
      caseId: c.id,
      outcome,
      heldOn: held.heldOn,
      place: held.place,
      outcomeLabel: COORDINATION_LABELS[outcome],
      ...(confirmations && { confirmations }),
      by: call.actorId
        ? recordedPerson(await personFor(call.trx, call.actorId, c.department_id, 'legal_review'))
        : null,
    });
    // Agreement with the review's 不同意 goes the way an accepted opinion goes (the flow closes the case, and the
    // gate refuses the chief); otherwise the chief decides, without an override when the review unit agreed.
    if (outcome === 'agree_with_review') {
      await q.updateCase(call.trx, c.id, { coordination });
    } else {
      await setStatus(call, c, 'deciding', { coordination, reviewPassed: outcome === 'agree_with_handling' });
    }
    return { coordination: outcome };
  });

  registerDecisionServices(registry, deps, kit);

  registry.add('review.closeNotApproved', async (call) => {
    const c = await caseOf(call);
    await setStatus(call, c, 'not_approved');
    return undefined;
  });

  const missing = CASE_SERVICE_NAMES.filter((name) => !registry.get(name));
  if (missing.length) throw new Error(`review services not registered: ${missing.join(', ')}`);
}

/**
 * An opinion answers every point of the list the case is reviewed against (the form asks them all; a flow that
 * reaches the service another way must too): a point left out would sign as 不适用 without anyone saying so.
 */
function assertAnswered(values: Record<string, unknown>, points: readonly { key: string; label: string }[]) {
  const unanswered = points.find((p) => values[`finding_${p.key}`] == null || values[`finding_${p.key}`] === '');
  if (unanswered) {
    throw new AppError(400, 'VALIDATION_FAILED', `审核要点“${unanswered.label}”未填写审核结果`, {
      field: `finding_${unanswered.key}`,
    });
  }
}

/**
 * A signed opinion states no unexplained defect and approves nothing it found 不符合 (whatever form the flow
 * gave the reviewer; the step rules say the same at the task door).
 */
function assertConsistent(findings: OpinionFinding[], approves: boolean, message: string, field: string) {
  const unexplained = findings.find(
    (f) => (f.finding === 'nonconform' || f.finding === 'transfer_required') && !f.note.trim(),
  );
  if (unexplained) {
    throw new AppError(400, 'VALIDATION_FAILED', `“${unexplained.label}”的审核结果须说明理由`, {
      field: `note_${unexplained.point}`,
    });
  }
  if (approves && findings.some((f) => f.finding === 'nonconform')) {
    throw new AppError(400, 'VALIDATION_FAILED', message, { field });
  }
}

/** An opinion that finds fault (修改后同意, 退回补正, 不同意) names at least one point 不符合, as the step rules say. */
function assertFaultFound(findings: OpinionFinding[], conclusion: Conclusion, field = 'conclusion') {
  if (conclusion === 'approve' || conclusion === 'transfer') return;
  if (findings.some((f) => f.finding === 'nonconform' || f.finding === 'transfer_required')) return;
  throw new AppError(400, 'VALIDATION_FAILED', faultWithoutFinding(CONCLUSION_LABELS[conclusion]), { field });
}
