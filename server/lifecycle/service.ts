import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { CaseContext } from '../cases/context.js';
import { reopenReview } from '../cases/reopen.js';
import { visibleCase } from '../cases/service.js';
import type { CaseRow } from '../cases/tables.js';
import { evaluateForDepartment } from '../catalogue/service.js';
import type { CaseFacts } from '../catalogue/vocabulary.js';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import { deliverCommitted, type OutboxRow } from '../engine/outbox.js';
import { cancelOwnedTimers, scheduleOwnedTimers } from '../engine/owned-timers.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { type Actor, hasRole } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import { recordCaseEvent } from '../records/append.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { issueStageDocument, type LifecycleDocuments } from './documents.js';
import { applyEvent, LIMIT_KIND, NOTICE_KIND, REMINDER_KIND } from './events.js';
import { isRecording } from './kinds.js';
import * as q from './queries.js';
import type { StageEventInput } from './schemas.js';
import type { FilePurpose } from './tables.js';

export interface LifecycleContext {
  db: Database;
  calendar: CalendarService;
  clock: Clock;
  queues: JobQueues;
  log: FastifyBaseLogger;
  history: HistoryListeners;
  cases: CaseContext;
  /** Issues and signs the 事先告知书, 听证通知书 and 送达回证 the events produce. */
  documents: LifecycleDocuments;
}

export interface EventResult {
  eventId: string;
  stageId: string | null;
  duplicate: boolean;
  reopenedRound: number | null;
}

/** Rolls back the transaction of an event whose (source, external id) another request recorded meanwhile. */
class DuplicateEvent extends Error {}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function realDate(field: string, s: string) {
  const m = DATE.exec(s);
  const d = m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (!d || d.toISOString().slice(0, 10) !== s) {
    throw new AppError(400, 'VALIDATION_FAILED', `日期“${s}”无效（格式为 YYYY-MM-DD）`, { field });
  }
}

/** Whether the event adopts what the party said in a way that changes the facts or the proposal (第四十五条). */
function changesPacket(e: StageEventInput) {
  return (
    (e.type === 'statement' && !e.waived && e.factsChanged === true) || (e.type === 'hearing_held' && e.factsChanged)
  );
}

/**
 * Records one stage event of a case: the officer's from the workbench, or (later) an agency system's through an
 * intake, with the same validation. Durable before it is acknowledged, in the case's hash-chained record in the
 * same transaction; an event whose source id was recorded before is answered as a duplicate and not recorded
 * again. An event that changes the facts or the proposal sends the case back to 法制审核 as a new round.
 */
export async function recordStageEvent(
  ctx: LifecycleContext,
  actor: Actor,
  caseId: string,
  e: StageEventInput,
  source = 'workbench',
  /** What the source adds to the record as it sent it (an intake's external evidence references). */
  extra: Record<string, unknown> = {},
  /** Who answers for a document the event issues when the actor is a system's account (the intake's officer). */
  responsibleId: string | null = null,
): Promise<EventResult> {
  const c = await visibleCase(ctx.cases, actor, caseId);
  if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能记录本机关案件的办案环节');
  const role = e.type === 'limit_extended' ? 'chief' : 'officer';
  if (!hasRole(actor, role)) {
    throw new AppError(
      403,
      'FORBIDDEN',
      role === 'chief' ? '延长办案期限须由机关负责人批准' : '只有执法人员可以记录办案环节',
    );
  }
  realDate('date', e.date);
  if (e.type === 'hearing_notified') realDate('hearingDate', e.hearingDate);
  const today = instantToShanghaiDate(ctx.clock.now());
  if (e.date > today) throw new AppError(400, 'VALIDATION_FAILED', `日期${e.date}晚于今天`, { field: 'date' });
  const externalId = e.externalId ?? null;
  const duplicate = async (): Promise<EventResult | null> => {
    if (!externalId) return null;
    const found = await q.findEventByExternalId(ctx.db, c.id, source, externalId);
    return found ? { eventId: found.id, stageId: found.stage_id, duplicate: true, reopenedRound: null } : null;
  };
  const seen = await duplicate();
  if (seen) return seen;

  const rejudged = await hearingRejudgement(ctx, c, e);
  const effects: OutboxRow[] = [];
  let result: EventResult | undefined;
  const write = async (trx: Transaction<DB>, current: CaseRow, reopenedRound: number | null) => {
    const lc = await q.findLifecycle(trx, current.id, true);
    const stages = await q.listStages(trx, current.id);
    const now = ctx.clock.now();
    const calendar = await ctx.calendar.calendarFor(trx);
    const applied = await applyEvent(
      { trx, c: current, lc, stages, calendar, today, now, actorId: actor.id, reopenedRound },
      e,
    );
    const signer = responsibleId ?? actor.id;
    if (rejudged && applied.stageId) {
      // The hearing's stage keeps why the case needs review now: the gate reads it until a round states 经过听证.
      applied.details = { ...applied.details, reviewRequired: rejudged.reason };
      await q.updateStage(trx, applied.stageId, { details: applied.details });
    }
    const doc = await issueStageDocument(ctx.documents, trx, current, e, applied.details, signer, now);
    if (doc)
      applied.details = { ...applied.details, document: { id: doc.documentId, kind: doc.kind, number: doc.number } };
    const eventId = await q.insertEvent(trx, {
      caseId: current.id,
      stageId: applied.stageId,
      type: e.type,
      occurredOn: e.date,
      details: applied.details,
      source,
      externalId,
      actorId: actor.id,
    });
    if (!eventId) throw new DuplicateEvent();
    const files = await linkEventFiles(trx, current.id, applied.stageId, e, actor.id);
    const owner = { type: 'case_lifecycle', id: current.id };
    if (applied.timers?.cancel) effects.push(...(await cancelOwnedTimers(trx, owner, [LIMIT_KIND, REMINDER_KIND])));
    if (applied.timers?.schedule) effects.push(...(await scheduleOwnedTimers(trx, owner, applied.timers.schedule)));
    if (applied.noticeTimer && applied.stageId) {
      effects.push(
        ...(await scheduleOwnedTimers(trx, { type: 'case_notice', id: applied.stageId }, [
          { kind: NOTICE_KIND, dueAt: applied.noticeTimer },
        ])),
      );
    }
    await recordCaseEvent(ctx.history, trx, current, {
      type: `lifecycle.${e.type}`,
      actorId: actor.id,
      at: now,
      payload: {
        caseId: current.id,
        eventId,
        stageId: applied.stageId,
        date: e.date,
        source,
        externalId,
        ...applied.details,
        ...(files.length ? { files } : {}),
        ...extra,
      },
    });
    if (doc) {
      await recordCaseEvent(ctx.history, trx, current, {
        type: 'document.issued',
        actorId: actor.id,
        at: now,
        payload: {
          caseId: current.id,
          documentId: doc.documentId,
          kind: doc.kind,
          number: doc.number,
          sm3: doc.sm3,
          by: doc.by,
        },
      });
    }
    result = { eventId, stageId: applied.stageId, duplicate: false, reopenedRound };
  };
  try {
    if (changesPacket(e) && c.instance_id && !c.decision) {
      const revised = e as { revisedFacts?: string; revisedProposal?: string; content?: string; note?: string };
      if (!revised.revisedFacts?.trim() && !revised.revisedProposal?.trim()) {
        throw new AppError(400, 'VALIDATION_FAILED', '事实或拟作决定有变更的，请写明变更后的认定事实或拟作决定', {
          field: 'revisedProposal',
        });
      }
      const note =
        e.type === 'hearing_held'
          ? '听证后变更事实或拟作决定，重新法制审核'
          : '采纳陈述、申辩后变更事实或拟作决定，重新法制审核';
      await reopenReview(
        ctx.cases,
        actor,
        c.id,
        {
          factsFound: revised.revisedFacts,
          proposedDecision: revised.revisedProposal,
          ...(e.type === 'hearing_held' ? { hearingHeld: true } : {}),
          note,
        },
        (trx, current, round) => write(trx, current, round),
      );
    } else if (rejudged && (c.instance_id || c.status === 'not_required')) {
      // Held without changed facts, but the packet said 未经听证 and with 经过听证 the catalogue makes review
      // mandatory: the reviewed packet no longer states what happened, so the case goes back to 法制审核 (or, when
      // it was submitted without review, is sent to 法制审核 for the first time).
      const reopened = await reopenReview(
        ctx.cases,
        actor,
        c.id,
        {
          hearingHeld: true,
          note: `听证后依目录本案须经法制审核（${rejudged.reason}），送审材料改为经过听证，重新法制审核`,
        },
        (trx, current, round) => write(trx, current, round),
      ).catch((err) => {
        // Not at a step the flow can be restarted from (e.g. the chief is deciding): the gate holds the decision.
        if (err instanceof AppError && err.code === 'CONFLICT' && !result) return null;
        throw err;
      });
      if (!reopened) await ctx.db.transaction().execute((trx) => write(trx, c, null));
    } else {
      await ctx.db.transaction().execute((trx) => write(trx, c, null));
    }
  } catch (err) {
    if (err instanceof DuplicateEvent) return (await duplicate()) as EventResult;
    throw err;
  }
  await deliverCommitted(ctx, effects).catch((err) => ctx.log.warn({ err }, 'lifecycle timers deferred to relay'));
  return result as EventResult;
}

/**
 * A hearing held without changed facts on a case whose packet says 未经听证 and whose review was not mandatory:
 * judged against the catalogue again with 经过听证 (the statutory floor's DX-04 among others). Returns the reason
 * when that makes review mandatory, else null.
 */
async function hearingRejudgement(ctx: LifecycleContext, c: CaseRow, e: StageEventInput) {
  if (e.type !== 'hearing_held' || e.factsChanged || c.packet.hearingHeld || c.review_mandatory || c.decision) {
    return null;
  }
  const facts = { ...c.facts, category: c.category, partyType: c.packet.party.type, hearingHeld: true } as CaseFacts;
  const judged = await evaluateForDepartment({ db: ctx.db, cache: ctx.cases.runtime.cache }, c.department_id, facts);
  return judged.mandatory ? { reason: judged.reason } : null;
}

/** Links the event's files to its stage (only this case's attachments); recordings are known by their content. */
async function linkEventFiles(
  trx: Transaction<DB>,
  caseId: string,
  stageId: string | null,
  e: StageEventInput,
  by: string,
) {
  const ids = 'attachmentIds' in e && e.attachmentIds ? [...new Set(e.attachmentIds)] : [];
  if (!stageId || ids.length === 0) return [];
  const found = await q.attachmentsOfCase(trx, caseId, ids);
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) {
    throw new AppError(404, 'ATTACHMENT_NOT_FOUND', '附件不属于本案', { field: 'attachmentIds', missing });
  }
  const given = e.type === 'files_linked' ? e.purpose : null;
  if (given === 'recording' && found.some((f) => !isRecording(f.media_type))) {
    throw new AppError(400, 'VALIDATION_FAILED', '按文件内容识别，所选文件不是音频或视频，不能作为音像记录', {
      field: 'attachmentIds',
    });
  }
  const purposeOf = (mediaType: string): FilePurpose =>
    given ?? (isRecording(mediaType) ? 'recording' : e.type === 'served' ? 'proof' : 'document');
  for (const f of found) await q.linkFiles(trx, stageId, [f.id], purposeOf(f.media_type), by);
  return found.map((f) => ({ attachmentId: f.id, purpose: purposeOf(f.media_type) }));
}
