import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import * as q from './queries.js';
import { limitText, REGULATION, type StepKey, SUPERVISION_TEXT, TIME_LIMITS, WINDOW_STEPS } from './rules.js';
import { STATUS_LABELS } from './steps.js';
import type { TransferRow } from './tables.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A transfer as the API and the case page show it: each step's facts, and the time limit running now. */
export function transferView(t: TransferRow, now: Date, names: Map<string, string>) {
  const step = t.step as StepKey | null;
  const limit = step ? TIME_LIMITS[step] : null;
  return {
    id: t.id,
    caseId: t.case_id,
    status: t.status,
    statusLabel: STATUS_LABELS[t.status],
    policeOrgan: t.police_organ,
    procuratorate: t.procuratorate,
    team: t.team_ids.map((id) => ({ id, name: names.get(id) ?? '' })),
    reasons: t.reasons,
    evidence: t.evidence.map((e) => ({ name: e.name, quantity: e.quantity ?? null, note: e.note ?? null })),
    reportedBy: { id: t.reported_by, name: names.get(t.reported_by) ?? '' },
    reportedAt: t.reported_at.toISOString(),
    decidedBy: t.decided_by ? { id: t.decided_by, name: names.get(t.decided_by) ?? '' } : null,
    decidedAt: iso(t.decided_at),
    decisionNote: t.decision_note,
    documentId: t.document_id,
    sentAt: iso(t.sent_at),
    delivery: t.delivery,
    receivedAt: iso(t.received_at),
    receiver: t.receiver,
    policeDecision: t.police_decision,
    policeNoticeAt: iso(t.police_notice_at),
    policeReasons: t.police_reasons,
    reviewRequestedAt: iso(t.review_requested_at),
    reviewReasons: t.review_reasons,
    reviewResult: t.review_result,
    reviewNoticeAt: iso(t.review_notice_at),
    reviewNote: t.review_note,
    forwardedFrom: t.forwarded_from,
    forwardedAt: iso(t.forwarded_at),
    supervisionRequestedAt: iso(t.supervision_requested_at),
    supervisionReasons: t.supervision_reasons,
    supervisionResult: t.supervision_result,
    supervisionNoticeAt: iso(t.supervision_notice_at),
    supervisionNote: t.supervision_note,
    /** While the procuratorate supervises: what the law gives it and the organ (not timed here). */
    supervisionText: t.status === 'supervision_requested' ? SUPERVISION_TEXT : null,
    handedOverAt: iso(t.handed_over_at),
    handoverNote: t.handover_note,
    returnedAt: iso(t.returned_at),
    returnReason: t.return_reason,
    limit:
      step && limit && t.step_due_at
        ? {
            step,
            text: limitText(step),
            article: `${REGULATION}${limit.article}`,
            party: limit.party,
            dueAt: t.step_due_at.toISOString(),
            reminded: t.reminded_at !== null,
            overdue:
              t.overdue_at !== null ||
              (limit.party === 'agency' && !WINDOW_STEPS.includes(step) && now > t.step_due_at),
          }
        : null,
    overdueSteps: t.overdue_steps.map((s) => ({ step: s, label: TIME_LIMITS[s as StepKey]?.label ?? s })),
  };
}
export type TransferView = ReturnType<typeof transferView>;

export async function transfersView(db: Kysely<DB> | Transaction<DB>, caseId: string, now: Date) {
  const rows = await q.transfersOfCase(db, caseId);
  const ids = [
    ...new Set(rows.flatMap((t) => [...t.team_ids, t.reported_by, ...(t.decided_by ? [t.decided_by] : [])])),
  ];
  const users = ids.length
    ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()
    : [];
  const names = new Map(users.map((u) => [u.id, u.display_name]));
  return rows.map((t) => transferView(t, now, names));
}

/** Transfers still under way, for the justice bureau's view: where each stands and whether a limit was missed. */
export async function openTransfersView(db: Kysely<DB> | Transaction<DB>, departmentId: string | undefined, now: Date) {
  const rows = await q.openTransfers(db, departmentId);
  return rows.map((r) => {
    const step = r.step as StepKey | null;
    const limit = step ? TIME_LIMITS[step] : null;
    const late =
      limit?.party === 'agency' &&
      step !== null &&
      !WINDOW_STEPS.includes(step) &&
      r.step_due_at !== null &&
      now > r.step_due_at;
    return {
      caseId: r.case_id,
      caseNumber: r.case_number,
      title: r.title,
      agency: r.agency,
      policeOrgan: r.police_organ,
      statusLabel: STATUS_LABELS[r.status],
      limit: limit && r.step_due_at ? { label: limit.label, article: limit.article, dueAt: r.step_due_at } : null,
      overdue: r.overdue_at !== null || late,
      missed: r.overdue_steps.map((s) => TIME_LIMITS[s as StepKey]?.label ?? s).join('、'),
    };
  });
}
