import { latestOpinion, listRounds } from '../cases/reads.js';
import type { CaseRow } from '../cases/tables.js';
import type { Database } from '../database/connect.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { isRecording, STAGE_LABELS } from './kinds.js';
import * as q from './queries.js';
import { flagsOf, procedureRefusal } from './state.js';

/** The case's lifecycle as the API, the stage panel and the reviewer's 程序 point show it. */
export async function lifecycleView(db: Database, c: CaseRow, now: Date) {
  const [lc, stages, files, rounds, opinion] = await Promise.all([
    q.findLifecycle(db, c.id),
    q.listStages(db, c.id),
    q.stageFiles(db, c.id),
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
    })),
    reviewRounds: rounds.map((r) => ({
      round: r.round,
      submittedAt: r.submitted_at.toISOString(),
      conclusion: opinion && opinion.round === r.round ? opinion.conclusion : null,
    })),
    flags: flagsOf(lc, stages, files, today, decided),
  };
}

export type LifecycleView = Awaited<ReturnType<typeof lifecycleView>>;
