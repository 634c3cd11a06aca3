import { latestOpinion, listRounds } from '../cases/reads.js';
import { CONCLUSION_LABELS } from '../cases/review-points.js';
import type { CaseRow } from '../cases/tables.js';
import type { Database } from '../database/connect.js';
import { type DocumentKind, KINDS } from '../documents/kinds.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { isRecording, STAGE_LABELS } from './kinds.js';
import * as q from './queries.js';
import { flagsOf, procedureRefusal } from './state.js';

/** The document an event issued, as its record keeps it. */
type IssuedRef = { id: string; kind: DocumentKind; number: string };

/** The case's lifecycle as the API, the stage panel and the reviewer's 程序 point show it. */
export async function lifecycleView(db: Database, c: CaseRow, now: Date) {
  const [lc, stages, files, events, rounds, opinion] = await Promise.all([
    q.findLifecycle(db, c.id),
    q.listStages(db, c.id),
    q.stageFiles(db, c.id),
    q.listEvents(db, c.id),
    listRounds(db, c.id),
    latestOpinion(db, c.id),
  ]);
  const today = instantToShanghaiDate(now);
  const decided = !!c.decision;
  return {
    caseId: c.id,
    filedOn: lc?.filed_on ?? null,
    decisionDueOn: lc?.decision_due_on ?? null,
    extension: (lc?.extension as Record<string, unknown> | null) ?? null,
    overdue: !!lc && !decided && !lc.archived_on && (!!lc.overdue_at || today > lc.decision_due_on),
    archivedOn: lc?.archived_on ?? null,
    decided,
    decisionBlocked: lc && c.category === 'penalty' && !decided ? procedureRefusal(stages, today) : null,
    stages: stages.map((s) => ({
      id: s.id,
      kind: s.kind,
      label: STAGE_LABELS[s.kind],
      status: s.status,
      startedOn: s.started_on,
      endedOn: s.ended_on,
      details: s.details,
      files: files
        .filter((f) => f.stage_id === s.id)
        .map((f) => ({
          attachmentId: f.attachment_id,
          purpose: f.purpose,
          fileName: f.file_name,
          mediaType: f.media_type,
          recording: isRecording(f.media_type),
        })),
      documents: events.flatMap((ev) => {
        const doc = ev.stage_id === s.id ? (ev.details as { document?: IssuedRef }).document : undefined;
        return doc
          ? [{ documentId: doc.id, kind: doc.kind, name: KINDS[doc.kind]?.name ?? doc.kind, number: doc.number }]
          : [];
      }),
    })),
    reviewRounds: rounds.map((r) => ({
      round: r.round,
      submittedAt: r.submitted_at.toISOString(),
      conclusion: opinion && opinion.round === r.round ? opinion.conclusion : null,
      conclusionLabel: opinion && opinion.round === r.round ? CONCLUSION_LABELS[opinion.conclusion] : null,
    })),
    flags: flagsOf(lc, stages, files, today, decided),
  };
}

export type LifecycleView = Awaited<ReturnType<typeof lifecycleView>>;

/** The supervisor's list of stages missing their recording (执法全过程记录), labelled for the page and the API. */
export async function missingRecordingsView(db: Database, departmentId: string | undefined) {
  const rows = await q.missingRecordings(db, departmentId);
  return rows.map((r) => ({
    stageId: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    title: r.title,
    department: r.department_name,
    kind: r.kind,
    label: r.method_label ?? STAGE_LABELS[r.kind],
    startedOn: r.started_on,
    required: r.kind === 'seizure' || r.kind === 'demolition',
  }));
}

type StageLine = LifecycleView['stages'][number];

/** One stage in a sentence, as the reviewer reads it under the 程序 point (程序合法). */
export function stageLine(s: StageLine): string {
  const d = s.details as Record<string, unknown>;
  const span = s.endedOn && s.endedOn !== s.startedOn ? `${s.startedOn} 至 ${s.endedOn}` : s.startedOn;
  const recorded = s.files.some((f) => f.recording) ? '，有音像记录' : '';
  switch (s.kind) {
    case 'notice':
      return `事先告知 ${span}，陈述、申辩期限至 ${d.statementDue}${d.hearingRight ? `，告知听证权利（要求听证期限至 ${d.hearingRequestDue}）` : ''}`;
    case 'statement':
      return d.waived
        ? `当事人明确放弃陈述、申辩 ${span}`
        : `陈述、申辩 ${span}${d.factsChanged ? '，理由成立予以采纳，事实或拟作决定变更' : ''}`;
    case 'hearing': {
      const parts = [`当事人 ${d.requestedOn} 要求听证`];
      if (d.notifiedOn) {
        const at = d.hearingTime ? `${d.scheduledOn} ${d.hearingTime}` : d.scheduledOn;
        parts.push(`${d.notifiedOn} 通知，定于 ${at} 举行，主持人 ${d.presider}`);
      }
      if (d.heldOn) parts.push(`${d.heldOn} 举行${d.factsChanged ? '，事实或拟作决定变更' : ''}${recorded}`);
      if (d.waivedOn)
        parts.push(`${d.waivedOn} ${d.waiveReason === 'absent' ? '无正当理由不出席，视为放弃' : '撤回听证要求'}`);
      return parts.join('；');
    }
    case 'service': {
      const served = Array.isArray(d.documents) ? (d.documents as { name: string; number: string | null }[]) : [];
      const list = served.map((x) => `${x.name}${x.number ? `（${x.number}）` : ''}`).join('、');
      const deemed = d.deemedServedOn ? `，${d.deemedServedOn} 视为送达` : '';
      return `送达 ${span}（${d.methodLabel}${deemed}）${list ? `：${list}` : ''}${recorded}`;
    }
    case 'execution':
      return `执行 ${span}（${d.modeLabel}）`;
    default:
      return `${s.label} ${span}${s.status === 'open' ? '（进行中）' : ''}${recorded}`;
  }
}

/** The stages recorded for a case, for other capabilities (which do not read the lifecycle's queries). */
export const caseStages = (db: Database, caseId: string) => q.listStages(db, caseId);

/** Whether the case was filed (立案), for other capabilities. */
export const caseFiled = async (db: Database, caseId: string) => Boolean(await q.findLifecycle(db, caseId));

/** The lifecycle event a source recorded under its own id, if any (an intake's idempotency key). */
export const recordedEvent = (db: Database, caseId: string, source: string, externalId: string) =>
  q.findEventByExternalId(db, caseId, source, externalId);
