import type { caseDetail } from '../../cases/detail.js';
import type { ChiefDecision, OpinionFinding, Packet, RecordedDecision } from '../../cases/tables.js';
import type { DiscretionAssessment } from '../../discretion/assess.js';
import { ROLE_LABELS } from '../../http/view-engine.js';
import type { BasisCheck } from './basis-check.js';
import {
  CHIEF_DECISION_LABELS,
  CONCLUSION_LABELS,
  DOCUMENT_KIND_LABELS,
  describeEvent,
  EVENT_LABELS,
  FINDING_LABELS,
  UNKNOWN_EVENT_LABEL,
} from './labels.js';
import { changeView, packetRows, type UserName } from './packet.js';

export type CaseDetail = Awaited<ReturnType<typeof caseDetail>>;

export interface PendingExtension {
  id: string;
  taskId: string;
  workingDays: number;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
}

const label = (map: Record<string, string>, v: unknown) => map[String(v)] ?? String(v ?? '');

/** How the page shows an attachment: inline image, PDF frame, player, or a download link. */
export function attachmentKind(mediaType: string): 'image' | 'pdf' | 'audio' | 'video' | 'file' {
  if (mediaType.startsWith('image/')) return 'image';
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType.startsWith('audio/')) return 'audio';
  if (mediaType.startsWith('video/')) return 'video';
  return 'file';
}

export function findingsView(findings: OpinionFinding[]) {
  return findings.map((f) => ({
    label: f.label,
    finding: f.finding,
    findingLabel: label(FINDING_LABELS, f.finding),
    note: f.note,
  }));
}

const DECISION_TONES: Record<string, 'ok' | 'bad' | 'neutral'> = {
  approve: 'ok',
  approve_modified: 'ok',
  reject: 'bad',
};

function chiefDecisionView(d: ChiefDecision | null, userName: UserName) {
  if (!d) return null;
  const overrideLabels = { review: '法制审核意见', proposal: '承办机构拟处理意见' } as Record<string, string>;
  return {
    label: label(CHIEF_DECISION_LABELS, d.decision),
    // Colour follows meaning: agreeing to decide reads as good, refusing as bad, the rest stays neutral.
    tone: DECISION_TONES[d.decision] ?? 'neutral',
    reasons: d.reasons,
    overrides: d.overrides.map((o) => overrideLabels[o] ?? o),
    decidedBy: userName(d.decidedBy),
    decidedAt: d.decidedAt,
  };
}

/** Elements already passed (completed tasks, services run, timers fired) and those waiting now. */
function diagramState(detail: CaseDetail) {
  const current = detail.tasks.filter((t) => t.status === 'open').map((t) => t.elementId);
  const done = new Set<string>();
  for (const e of detail.timeline) {
    if (!e.elementId || e.type === 'task.created' || e.type.startsWith('timer.scheduled')) continue;
    if (e.type === 'timer.cancelled' || e.type === 'task.cancelled') continue;
    done.add(e.elementId);
  }
  for (const id of current) done.delete(id);
  // As JSON text for data attributes (escaped by the template, unlike the json helper meant for scripts).
  return { currentJson: JSON.stringify(current), doneJson: JSON.stringify([...done]), hasCurrent: current.length > 0 };
}

/** Everything the case page shows, from the case detail the API serves too. */
export function caseView(
  detail: CaseDetail,
  opts: {
    names: Map<string, string> | null;
    userName: UserName;
    extensions: PendingExtension[];
    basis?: BasisCheck;
    discretion?: DiscretionAssessment | null;
  },
) {
  const { userName, names } = opts;
  const base = `/api/cases/${detail.id}`;
  const openTasks = detail.tasks
    .filter((t) => t.status === 'open')
    .map((t) => ({
      ...t,
      roleName: label(ROLE_LABELS, t.role),
      assigneeName: t.assigneeId ? userName(t.assigneeId) : null,
      extensions: opts.extensions
        .filter((x) => x.taskId === t.id)
        .map((x) => ({ ...x, requestedByName: userName(x.requestedBy) })),
    }));
  return {
    openTasks,
    packet: packetRows(detail.packet as Packet, userName, opts.basis, opts.discretion),
    attachments: detail.attachments.map((a) => ({
      ...a,
      kind: attachmentKind(a.mediaType),
      url: `${base}/attachments/${a.id}`,
      uploadedByName: userName(a.uploadedBy),
    })),
    rounds: detail.rounds.map((r) => ({
      ...r,
      submittedByName: userName(r.submittedBy),
      changes: (r.changes as { field: string; label?: string; before: unknown; after: unknown }[]).map((c) =>
        changeView(c, userName),
      ),
    })),
    opinions: detail.opinions.map((o) => ({
      ...o,
      kindLabel: o.kind === 'rereview' ? '复核意见' : '审核意见',
      conclusionLabel: label(CONCLUSION_LABELS, o.conclusion),
      findings: findingsView(o.findings as OpinionFinding[]),
      documentUrl: o.documentId ? `${base}/documents/${o.documentId}` : null,
    })),
    documents: detail.documents.map((d) => ({
      ...d,
      kindLabel: label(DOCUMENT_KIND_LABELS, d.kind),
      url: `${base}/documents/${d.id}`,
      signedByName: d.signedBy ? userName(d.signedBy) : null,
    })),
    timeline: detail.timeline.map((e) => {
      const elementName = e.elementId ? (names?.get(e.elementId) ?? e.elementId) : null;
      return {
        at: e.at,
        type: e.type,
        label: EVENT_LABELS[e.type] ?? UNKNOWN_EVENT_LABEL,
        code: e.type,
        detail: describeEvent(e.type, e.payload as Record<string, unknown>, elementName, userName),
        step: elementName,
        actor: e.actorName ?? (e.actorId ? userName(e.actorId) : '系统'),
        minor: e.type.startsWith('timer.') || e.type === 'service.record' || e.type === 'case.status',
      };
    }),
    chiefDecision: chiefDecisionView(detail.chiefDecision as ChiefDecision | null, userName),
    decision: detail.decision as RecordedDecision | null,
    reviewerName: detail.reviewerId ? userName(detail.reviewerId) : null,
    diagram: detail.instanceId ? diagramState(detail) : null,
  };
}
