import { deadlineState } from '../engine/deadlines.js';
import { instanceTasks } from '../engine/reads.js';
import { caseDisclosureHistory } from '../publicity/disclosures/history.js';
import type { CaseContext } from './context.js';
import * as q from './queries.js';
import { caseHistory } from './resume.js';
import type { CaseRow } from './tables.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Everything the case page shows: packet, rounds with their changes, opinions, files, timeline, open tasks. */
export async function caseDetail(ctx: CaseContext, c: CaseRow) {
  const [rounds, opinions, attachments, documents, history, tasks, calendar, disclosure] = await Promise.all([
    q.listRounds(ctx.db, c.id),
    q.listOpinions(ctx.db, c.id),
    q.listAttachments(ctx.db, c.id),
    ctx.documents.list(ctx.db, c.id),
    caseHistory(ctx.db, c),
    c.instance_id ? instanceTasks(ctx.db, c.instance_id) : Promise.resolve([]),
    ctx.calendar.calendarFor(ctx.db),
    caseDisclosureHistory(ctx.db, c.id),
  ]);
  const now = ctx.clock.now();
  return {
    id: c.id,
    departmentId: c.department_id,
    caseNumber: c.case_number,
    title: c.title,
    category: c.category,
    status: c.status,
    packet: c.packet,
    facts: c.facts,
    reviewMandatory: c.review_mandatory,
    reviewRequested: c.review_requested,
    reviewPassed: c.review_passed,
    catalogueItem: c.catalogue_item,
    catalogueReason: c.catalogue_reason,
    currentRound: c.current_round,
    reviewerId: c.reviewer_id,
    instanceId: c.instance_id,
    chiefDecision: c.chief_decision,
    coordination: c.coordination,
    decision: c.decision,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    rounds: rounds.map((r) => ({
      round: r.round,
      submittedBy: r.submitted_by,
      submittedAt: r.submitted_at.toISOString(),
      note: r.note,
      changes: r.changes,
    })),
    opinions: opinions.map((o) => ({
      id: o.id,
      round: o.round,
      kind: o.kind,
      reviewerId: o.reviewer_id,
      reviewerName: o.reviewer_name,
      findings: o.findings,
      conclusion: o.conclusion,
      reasons: o.reasons,
      suggestions: o.suggestions,
      documentId: o.document_id,
      createdAt: o.created_at.toISOString(),
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      round: a.round,
      fileName: a.file_name,
      mediaType: a.media_type,
      size: Number(a.size),
      sm3: a.sm3,
      uploadedBy: a.uploaded_by,
      uploadedAt: a.uploaded_at.toISOString(),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      number: d.number,
      fileName: d.fileName,
      sm3: d.sm3,
      size: d.size,
      createdAt: d.createdAt.toISOString(),
      signedBy: d.signedBy,
      signedAt: iso(d.signedAt),
    })),
    tasks: tasks.map((t) => {
      const light = t.status === 'open' ? deadlineState(calendar, { due_at: t.due_at, paused_at: null }, now) : null;
      return {
        id: t.id,
        elementId: t.element_id,
        name: t.name,
        role: t.role,
        assigneeId: t.assignee_id,
        status: t.status,
        dueAt: iso(t.due_at),
        deadlineState: light?.state ?? null,
        remainingWorkingDays: light?.remainingWorkingDays ?? null,
        createdAt: t.created_at.toISOString(),
        endedAt: iso(t.ended_at),
      };
    }),
    timeline: [
      ...history.map((h) => ({
        id: String(h.id),
        type: h.type,
        elementId: h.element_id as string | null,
        actorId: h.actor_id,
        actorName: h.actor_name,
        payload: h.payload,
        at: h.at.toISOString(),
      })),
      // 事后公开 continues after the process ends: publication and withdrawal follow the decision.
      ...disclosure.map((e) => ({ ...e, elementId: null, at: e.at.toISOString() })),
    ].sort((a, b) => a.at.localeCompare(b.at)),
  };
}
