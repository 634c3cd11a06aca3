import type { ServiceCall, ServiceRegistry } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { UUID } from '../infra/ids.js';
import { createDisclosure, decisionOfCase } from '../publicity/disclosures/create.js';
import { checkRecordedDecision } from './decision-record.js';
import { overridesOf } from './decisions.js';
import { assertGate } from './gate.js';
import { personFor, recordedPerson } from './people.js';
import { CHIEF_DECISION_LABELS, codeOf } from './review-points.js';
import { type CaseServiceDeps, caseOf, opinionInForce, type ServiceKit, text } from './service-kit.js';
import type { CaseRow, CaseStatus, ChiefDecision, Conclusion, RecordedDecision } from './tables.js';

/**
 * The review's conclusion the chief decides against: the latest opinion's, unless a coordination on the current
 * packet ended with the review unit agreeing to the handling unit's proposal (then the review no longer objects).
 */
function effectiveConclusion(c: CaseRow, latest: Conclusion | null): Conclusion | null {
  const agreed = c.coordination?.round === c.current_round && c.coordination.outcome === 'agree_with_handling';
  return agreed ? 'approve' : latest;
}

/** 负责人决定 and 记录执法决定: the service tasks after the review. */
export function registerDecisionServices(registry: ServiceRegistry, deps: CaseServiceDeps, kit: ServiceKit): void {
  const { now, setStatus, issue } = kit;

  registry.add('review.recordChiefDecision', async (call) => {
    const c = await caseOf(call);
    if (!call.actorId) throw new Error('负责人决定必须由负责人作出');
    await assertGate(call.trx, c, 'chief_decision');
    const decision = codeOf(CHIEF_DECISION_LABELS, call.variables.decision);
    const reasons = text(call.variables.decisionReasons);
    const modifiedContent = decision === 'approve_modified' ? text(call.variables.modifiedDecision) : '';
    if (decision === 'approve_modified' && !modifiedContent) {
      throw new AppError(400, 'VALIDATION_FAILED', '修改后作出决定的，须写明修改后的决定内容', {
        field: 'modifiedDecision',
      });
    }
    const opinion = await opinionInForce(call.trx, deps, c.id);
    const conclusion = effectiveConclusion(c, opinion?.conclusion ?? null);
    const overrides = overridesOf(decision, conclusion);
    if (overrides.length > 0 && reasons.length < 10) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        '负责人决定与法制审核意见或承办机构意见不一致，必须书面说明理由（不少于10个字）',
        { overrides },
      );
    }
    const doc = await issue(call, c, 'chief_decision', {
      decision,
      reasons,
      modifiedContent: modifiedContent || null,
      overrides,
      reviewConclusion: opinion?.conclusion ?? null,
      coordinationOutcome: c.coordination?.round === c.current_round ? c.coordination.outcome : null,
      reviewOpinionNumber: opinion?.number ?? null,
      collectiveRecordNumber: await collectiveRecordNumber(call, deps),
    });
    const record: ChiefDecision = {
      decision,
      reasons,
      modifiedContent: modifiedContent || null,
      overrides,
      decidedBy: call.actorId,
      decidedAt: now().toISOString(),
      documentId: doc.id,
    };
    // The record keeps the chief's reasons whether or not the decision departs from an opinion.
    call.record('case.chief_decided', {
      caseId: c.id,
      decision,
      reasons: reasons || null,
      modifiedContent: modifiedContent || null,
      overrides,
      responsible: overrides.length ? call.actorId : null,
      by: recordedPerson(await personFor(call.trx, call.actorId, c.department_id)),
    });
    const status: CaseStatus =
      decision === 'reject' ? 'not_approved' : decision === 'transfer' ? 'transferred' : 'recording';
    await setStatus(call, c, status, { chiefDecision: record });
    return { chiefDecision: decision };
  });

  registry.add('review.recordDecision', async (call) => {
    const c = await caseOf(call);
    await assertGate(call.trx, c, 'record_decision', { preconditions: deps.decisionPreconditions, now: now() });
    const input = {
      number: text(call.variables.decisionNumber),
      date: text(call.variables.decisionDate),
      content: text(call.variables.decisionContent),
      deviationReason: text(call.variables.deviationReason),
    };
    const deviationReason = checkRecordedDecision(c, input, now());
    const decision: RecordedDecision = {
      number: input.number,
      date: input.date,
      content: input.content,
      deviationReason,
      recordedBy: call.actorId ?? c.submitted_by,
      recordedAt: now().toISOString(),
    };
    call.record('case.decided', {
      caseId: c.id,
      number: decision.number,
      date: decision.date,
      content: decision.content,
      deviationReason,
      by: recordedPerson(await personFor(call.trx, decision.recordedBy, c.department_id)),
    });
    await setStatus(call, c, 'decided', { decision });
    // 事后公开: the disclosure and its legal deadline are created with the decision, in the same transaction.
    const disclosure = await createDisclosure(call.trx, deps, decisionOfCase(c, decision, call.actorId));
    call.record('disclosure.created', {
      caseId: c.id,
      disclosureId: disclosure.id,
      dueAt: disclosure.dueAt.toISOString(),
    });
    return undefined;
  });
}

/**
 * The minutes of the leaders' discussion this decision follows (集体讨论决定, 行政处罚法第五十七条第二款), when the
 * flow held one: the discussion's service leaves the record's id in the instance variables.
 */
async function collectiveRecordNumber(call: ServiceCall, deps: CaseServiceDeps): Promise<string | null> {
  const id = call.variables.collectiveRecordId;
  return typeof id === 'string' && UUID.test(id) ? deps.documents.numberOf(call.trx, id) : null;
}
