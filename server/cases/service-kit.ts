import type { CalendarService } from '../calendar/service.js';
import type { ServiceCall } from '../engine/registry.js';
import type { Clock } from '../infra/clock.js';
import { documentData } from './document-data.js';
import type { DocumentKind, DocumentPort } from './documents-port.js';
import * as q from './queries.js';
import type { CaseRow, CaseStatus } from './tables.js';

export interface CaseServiceDeps {
  documents: DocumentPort;
  calendar: CalendarService;
  clock: Clock;
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
  const issue = async (call: ServiceCall, c: CaseRow, kind: DocumentKind, extra: Record<string, unknown>) => {
    const doc = await deps.documents.issue(call.trx, {
      departmentId: c.department_id,
      caseId: c.id,
      kind,
      data: await documentData(call.trx, c, kind, { ...extra, actorId: call.actorId }, now()),
      createdBy: call.actorId,
      at: now(),
    });
    call.record('document.issued', { caseId: c.id, documentId: doc.id, kind, number: doc.number, sm3: doc.sm3 });
    return doc;
  };
  return { now, setStatus, issue };
}

export type ServiceKit = ReturnType<typeof serviceKit>;
