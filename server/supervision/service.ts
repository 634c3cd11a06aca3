import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import { issueDocument, signDocument } from '../documents/service.js';
import type { TemplateSource } from '../documents/template-source.js';
import { deliverCommitted, type OutboxRow } from '../engine/outbox.js';
import { cancelOwnedTimers, closeOwnedTimers, findOwnedTimer, scheduleOwnedTimers } from '../engine/owned-timers.js';
import type { HistoryListeners, TimerOutcome } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { type Actor, hasRole, readsAllDepartments } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import { recordCaseEvent } from '../records/append.js';
import type { DocumentSigner } from '../records/signatures.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import * as q from './queries.js';
import type { SupervisionItemRow } from './tables.js';

export interface SupervisionContext {
  db: Database;
  calendar: CalendarService;
  clock: Clock;
  queues: JobQueues;
  log: FastifyBaseLogger;
  templates: TemplateSource;
  signer: DocumentSigner;
  history: HistoryListeners;
}

export const SUPERVISION_TIMER_KIND = 'supervision_deadline';
export const SUPERVISION_KINDS = { opinion: '监督意见', correction: '纠正通知' } as const;
export type SupervisionKind = keyof typeof SUPERVISION_KINDS;
const DOCUMENT_KIND = { opinion: 'supervision_opinion', correction: 'rectification_notice' } as const;

export interface IssueInput {
  kind: SupervisionKind;
  caseId?: string;
  departmentId?: string;
  subject: string;
  findings: string;
  requirements: string;
  /** 监督依据: what the bureau supervises under. */
  supervisionBasis?: string;
  /** 违反的规定: the rules the agency's conduct breached. */
  breachedRules?: string;
  workingDays: number;
}

/** Whether the actor answers for the agency the item is addressed to: its legal unit or head. */
export const answersFor = (actor: Actor, item: Pick<SupervisionItemRow, 'department_id'>) =>
  actor.departmentId === item.department_id && hasRole(actor, 'legal_admin', 'chief');

/** Overdue: flagged by its deadline timer, still unanswered past the due date, or last answered after it. */
export function isOverdue(
  item: Pick<SupervisionItemRow, 'overdue_at' | 'status' | 'due_at' | 'answered_at'>,
  now: Date,
) {
  if (item.overdue_at) return true;
  if (item.status === 'open' || item.status === 'returned') return now > item.due_at;
  return item.answered_at !== null && item.answered_at > item.due_at;
}

/** The item if the actor may see it: the justice bureau sees all, an agency only those addressed to it. */
export async function visibleItem(db: Database | Transaction<DB>, actor: Actor, id: string) {
  const item = await q.findItem(db, id);
  if (!item || (item.department_id !== actor.departmentId && !readsAllDepartments(actor))) {
    throw new AppError(404, 'NOT_FOUND', '监督意见不存在');
  }
  return item;
}

/** Records an event of the item in its case's whole-process record; an item about an agency's work has none. */
export async function recordOnCase(
  ctx: SupervisionContext,
  trx: Transaction<DB>,
  item: SupervisionItemRow,
  e: RecordEvent,
) {
  if (!item.case_id) return;
  const c = await q.caseForRecord(trx, item.case_id);
  if (c) await recordCaseEvent(ctx.history, trx, c, { ...e, payload: { supervisionId: item.id, ...e.payload } });
}
export interface RecordEvent {
  type: string;
  actorId: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * The justice bureau issues an opinion or a correction notice to an agency, about one of its cases or its work:
 * the deadline is counted in working days from the day of issue, kept as a durable timer; the document is
 * numbered, rendered from the bureau's template and signed (SM2) by the issuer; all in one transaction, with
 * the case's record when it is about a case.
 */
export async function issueItem(ctx: SupervisionContext, actor: Actor, input: IssueInput) {
  if (!hasRole(actor, 'supervisor')) throw new AppError(403, 'FORBIDDEN', '只有执法监督人员可以发出监督意见');
  const target = await q.targetOf(ctx.db, input);
  if (!target) throw new AppError(400, 'VALIDATION_FAILED', '请选择被监督的执法机关或案件', { ...input });
  if (target.agency.id === actor.departmentId) {
    throw new AppError(422, 'VALIDATION_FAILED', '不能对本机关发出监督意见');
  }
  const now = ctx.clock.now();
  const effects: OutboxRow[] = [];
  const item = await ctx.db.transaction().execute(async (trx) => {
    const due = addWorkingDays(await ctx.calendar.calendarFor(trx), instantToShanghaiDate(now), input.workingDays);
    const issuer = await q.userName(trx, actor.id);
    const created = await q.insertItem(trx, {
      kind: input.kind,
      issuer_department_id: actor.departmentId,
      issued_by: actor.id,
      department_id: target.agency.id,
      case_id: target.case?.id ?? null,
      subject: input.subject.trim(),
      findings: input.findings.trim(),
      requirements: input.requirements.trim(),
      supervision_basis: input.supervisionBasis?.trim() || null,
      breached_rules: input.breachedRules?.trim() || null,
      working_days: input.workingDays,
      due_at: due.dueAt,
      due_provisional: due.provisional,
      created_at: now,
    });
    const doc = await issueDocument(trx, ctx.templates, {
      kind: DOCUMENT_KIND[input.kind],
      data: {
        agency: target.agency.name,
        case: target.case
          ? { number: target.case.case_number, title: target.case.title, party: target.case.party }
          : null,
        subject: created.subject,
        findings: created.findings,
        requirements: created.requirements,
        supervisionBasis: created.supervision_basis,
        breachedRules: created.breached_rules,
        legalBasis: created.legal_basis,
        workingDays: input.workingDays,
        dueDate: instantToShanghaiDate(due.dueAt),
        dueProvisional: due.provisional,
        supervisor: { name: issuer },
      },
      departmentId: actor.departmentId,
      caseId: created.case_id,
      createdBy: actor.id,
      at: now,
    });
    await signDocument(trx, doc.id, actor.id, now, { signer: ctx.signer });
    const item = await q.setDocument(trx, created.id, doc.id);
    effects.push(
      ...(await scheduleOwnedTimers(trx, { type: 'supervision', id: item.id }, [
        { kind: SUPERVISION_TIMER_KIND, dueAt: due.dueAt },
      ])),
    );
    await recordOnCase(ctx, trx, item, {
      type: 'supervision.issued',
      actorId: actor.id,
      payload: {
        kind: item.kind,
        subject: item.subject,
        documentId: doc.id,
        documentNumber: doc.number,
        sm3: doc.sm3,
        workingDays: item.working_days,
        dueAt: item.due_at.toISOString(),
      },
      at: now,
    });
    return item;
  });
  await deliverCommitted(ctx, effects).catch((err) => ctx.log.warn({ err }, 'supervision timer deferred to relay'));
  return item;
}

/** The agency's legal unit answers: what it did, with the files it uploaded for this answer. */
export async function answerItem(
  ctx: SupervisionContext,
  actor: Actor,
  id: string,
  input: { answer: string; fileIds: string[] },
) {
  const seen = await visibleItem(ctx.db, actor, id);
  if (!answersFor(actor, seen)) throw new AppError(403, 'FORBIDDEN', '只有被监督机关的法制机构可以报送办理情况');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const item = await q.lockItem(trx, id);
    if (item.status !== 'open' && item.status !== 'returned') {
      throw new AppError(
        409,
        'CONFLICT',
        item.status === 'accepted' ? '该监督意见已办结' : '已报送办理情况，等待监督机关审查',
      );
    }
    const files = await q.unusedFiles(trx, id, input.fileIds);
    if (files.length !== new Set(input.fileIds).size) {
      throw new AppError(422, 'VALIDATION_FAILED', '附件不属于该监督意见或已随此前的答复报送');
    }
    const round = await q.insertAnswer(trx, { itemId: id, answer: input.answer.trim(), files, by: actor.id, at: now });
    const updated = await q.updateItem(trx, id, {
      status: 'answered',
      answer: input.answer.trim(),
      answered_by: actor.id,
      answered_at: now,
      answer_document_ids: JSON.stringify(files.map((f) => f.id)),
    });
    await recordOnCase(ctx, trx, updated, {
      type: 'supervision.answered',
      actorId: actor.id,
      payload: {
        round,
        answer: updated.answer,
        onTime: now <= updated.due_at,
        answerFiles: files.map((f) => ({ id: f.id, fileName: f.file_name, sm3: f.sm3, size: Number(f.size) })),
      },
      at: now,
    });
    return updated;
  });
}

/**
 * The supervisor accepts the answer (办结) or sends it back to be answered again; sent back after the due date,
 * the item is flagged overdue there and then (its timer has already found it answered).
 */
export async function reviewAnswer(
  ctx: SupervisionContext,
  actor: Actor,
  id: string,
  input: { verdict: 'accepted' | 'returned'; note?: string },
) {
  if (!hasRole(actor, 'supervisor')) throw new AppError(403, 'FORBIDDEN', '只有执法监督人员可以审查办理情况');
  await visibleItem(ctx.db, actor, id);
  const note = input.note?.trim() || null;
  if (input.verdict === 'returned' && !note) throw new AppError(422, 'VALIDATION_FAILED', '退回时请写明理由');
  const now = ctx.clock.now();
  const effects: OutboxRow[] = [];
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const item = await q.lockItem(trx, id);
    if (item.status !== 'answered') throw new AppError(409, 'CONFLICT', '该监督意见没有待审查的办理情况');
    const round = await q.reviewLatestAnswer(trx, id, { verdict: input.verdict, note, by: actor.id, at: now });
    const late = input.verdict === 'returned' && now > item.due_at && !item.overdue_at;
    const updated = await q.updateItem(
      trx,
      id,
      input.verdict === 'accepted'
        ? { status: 'accepted', accepted_by: actor.id, accepted_at: now }
        : { status: 'returned', returned_count: item.returned_count + 1, ...(late ? { overdue_at: now } : {}) },
    );
    if (input.verdict === 'accepted') {
      effects.push(...(await cancelOwnedTimers(trx, { type: 'supervision', id }, [SUPERVISION_TIMER_KIND])));
    }
    await recordOnCase(ctx, trx, updated, {
      type: `supervision.${input.verdict}`,
      actorId: actor.id,
      payload: { round, note },
      at: now,
    });
    if (late) await recordOnCase(ctx, trx, updated, overdueEvent(updated, now));
    return updated;
  });
  await deliverCommitted(ctx, effects).catch((err) => ctx.log.warn({ err }, 'supervision timer cancel deferred'));
  return updated;
}

const overdueEvent = (item: SupervisionItemRow, at: Date): RecordEvent => ({
  type: 'supervision.overdue',
  actorId: null,
  payload: { dueAt: item.due_at.toISOString() },
  at,
});

/** The deadline came: flag the item overdue if the agency has not answered (re-read under its row lock). */
export async function fireSupervisionTimer(ctx: SupervisionContext, timerId: string): Promise<TimerOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const timer = await findOwnedTimer(trx, timerId);
    if (timer?.status !== 'pending') return { kind: 'stale', reason: timer?.status ?? 'missing' };
    const item = await q.findItem(trx, timer.ownerId, true);
    const applies = item?.status === 'open' || item?.status === 'returned';
    await closeOwnedTimers(trx, [timerId], applies ? 'fired' : 'cancelled');
    if (!item || !applies) return { kind: 'stale', reason: item?.status ?? 'missing' };
    const now = ctx.clock.now();
    const updated = await q.updateItem(trx, item.id, { overdue_at: now });
    await recordOnCase(ctx, trx, updated, overdueEvent(updated, now));
    return { kind: 'fired' };
  });
}
