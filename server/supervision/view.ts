import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import * as q from './queries.js';
import { isOverdue, SUPERVISION_KINDS } from './service.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** One item as the API gives it. */
export function itemView(r: q.ListedItem, now: Date) {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: SUPERVISION_KINDS[r.kind],
    agencyId: r.department_id,
    agency: r.agency_name,
    caseId: r.case_id,
    caseNumber: r.case_number ?? null,
    subject: r.subject,
    findings: r.findings,
    requirements: r.requirements,
    supervisionBasis: r.supervision_basis,
    breachedRules: r.breached_rules,
    workingDays: r.working_days,
    dueAt: r.due_at.toISOString(),
    dueProvisional: r.due_provisional,
    status: r.status,
    overdue: isOverdue(r, now),
    documentId: r.document_id,
    documentNumber: r.document_number ?? null,
    answer: r.answer,
    answeredAt: iso(r.answered_at),
    acceptedAt: iso(r.accepted_at),
    returnedCount: r.returned_count,
    issuedBy: r.issued_by,
    createdAt: r.created_at.toISOString(),
  };
}

/** One item with every answer, its verdict and the files. Access is the caller's. */
export async function itemDetail(db: Kysely<DB>, id: string, now: Date) {
  const [row] = await q.listItems(db, { itemId: id, now, limit: 1, offset: 0 });
  const [answers, files] = await Promise.all([q.answersOf(db, id), q.filesOf(db, id)]);
  return {
    ...itemView(row, now),
    answers: answers.map((a) => ({
      round: a.round,
      answer: a.answer,
      answeredBy: a.answered_by_name,
      answeredAt: a.answered_at.toISOString(),
      fileIds: a.file_ids,
      verdict: a.verdict,
      verdictNote: a.verdict_note,
      reviewedBy: a.reviewed_by_name,
      reviewedAt: iso(a.reviewed_at),
    })),
    files: files.map((f) => ({
      id: f.id,
      fileName: f.file_name,
      mediaType: f.media_type,
      size: Number(f.size),
      sm3: f.sm3,
      uploadedAt: f.uploaded_at.toISOString(),
    })),
  };
}

export const STATUS_LABELS = { open: '待办理', answered: '待审查', returned: '已退回', accepted: '已办结' } as const;

/** Items for the workbench and the case page: each with its status label and overdue flag. */
export async function supervisionItems(
  db: Kysely<DB>,
  f: { departmentId?: string; caseId?: string; openOnly?: boolean; overdueOnly?: boolean },
  now: Date,
) {
  const state = f.overdueOnly ? 'overdue' : f.openOnly ? 'open' : undefined;
  const rows = await q.listItems(db, { ...f, state, now, limit: 200, offset: 0 });
  return rows.map((r) => ({ ...itemView(r, now), statusLabel: STATUS_LABELS[r.status] }));
}
