import type { Transaction } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { DB } from '../database/schema.js';
import type { ServiceCall } from '../engine/registry.js';
import { actingUnit } from '../identity/directory.js';
import type { Clock } from '../infra/clock.js';
import { documentData } from './document-data.js';
import type { DocumentKind, DocumentPort } from './documents-port.js';
import type { DecisionPrecondition } from './gate.js';
import { type NextStep, nextStep } from './next-step.js';
import * as q from './queries.js';
import type { CaseRow, CaseStatus, Conclusion } from './tables.js';

export interface CaseServiceDeps {
  documents: DocumentPort;
  calendar: CalendarService;
  clock: Clock;
  /** Conditions other capabilities put before the recorded decision (filled at assembly). */
  decisionPreconditions?: readonly DecisionPrecondition[];
}

/** The case a review service task serves, locked for the step. */
export async function caseOf(call: ServiceCall): Promise<CaseRow> {
  const caseId = call.variables.caseId;
  const row = typeof caseId === 'string' ? await q.lockCase(call.trx, caseId) : undefined;
  if (!row) throw new Error(`流程实例 ${call.instanceId} 没有关联的送审案件`);
  return row;
}

export const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** What every review service task does the same way: the clock, a status change, an issued document. */
export function serviceKit(deps: CaseServiceDeps) {
  const now = () => deps.clock.now();
  const setStatus = async (
    call: ServiceCall,
    c: CaseRow,
    status: CaseStatus,
    extra: Parameters<typeof q.updateCase>[2] = {},
  ) => {
    await q.updateCase(call.trx, c.id, { status, ...extra });
    call.record('case.status', { caseId: c.id, from: c.status, to: status });
  };
  /**
   * Issues a document of the case and has the user who issued it sign it (SM2): every document of a case is
   * signed by its issuer, whose name, unit and 职务 the record states.
   */
  const issue = async (call: ServiceCall, c: CaseRow, kind: DocumentKind, extra: Record<string, unknown>) => {
    if (!call.actorId) throw new Error('文书必须由签发人签署');
    const data = await documentData(call.trx, c, kind, { ...extra, actorId: call.actorId }, now());
    const doc = await deps.documents.issue(call.trx, {
      departmentId: c.department_id,
      caseId: c.id,
      kind,
      data,
      createdBy: call.actorId,
      at: now(),
    });
    await deps.documents.sign(call.trx, doc.id, call.actorId, now());
    const issuer = data.issuer as { name: string; unit: string; position: string };
    call.record('document.issued', {
      caseId: c.id,
      documentId: doc.id,
      kind,
      number: doc.number,
      sm3: doc.sm3,
      by: { userId: call.actorId, name: issuer.name, unit: issuer.unit, position: issuer.position },
    });
    return doc;
  };
  /** The review unit of the case becomes this user's unit (else the department's 法制审核机构), if it has one. */
  const setReviewUnit = async (call: ServiceCall, c: CaseRow, userId: string): Promise<CaseRow> => {
    const unit = await actingUnit(call.trx, userId, c.department_id, 'legal_review');
    if (!unit || unit.id === c.review_unit_id) return c;
    await q.updateCase(call.trx, c.id, { reviewUnitId: unit.id });
    return { ...c, review_unit_id: unit.id };
  };
  /** The user task the flow goes to after this service task, with the limit the engine will give it. */
  const nextStepOf = async (call: ServiceCall): Promise<NextStep | null> => {
    const calendar = await deps.calendar.calendarFor(call.trx);
    return nextStep(call.definition, call.elementId, { ...call.variables }, calendar, now());
  };
  return { now, setStatus, issue, setReviewUnit, nextStepOf };
}

export type ServiceKit = ReturnType<typeof serviceKit>;

/**
 * The opinion in force on a case — the latest signed, so a 复核 speaks after the review it reconsiders — with its
 * 文号; null before any opinion.
 */
export async function opinionInForce(
  trx: Transaction<DB>,
  deps: Pick<CaseServiceDeps, 'documents'>,
  caseId: string,
): Promise<{ conclusion: Conclusion; number: string | null } | null> {
  const latest = await q.latestOpinion(trx, caseId);
  if (!latest) return null;
  const number = latest.document_id ? await deps.documents.numberOf(trx, latest.document_id) : null;
  return { conclusion: latest.conclusion, number };
}
