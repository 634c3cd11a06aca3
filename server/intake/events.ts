import { Value } from 'typebox/value';
import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import { StageEvent, type StageEventInput } from '../lifecycle/schemas.js';
import { caseFiled, caseStages, recordedEvent } from '../lifecycle/view.js';

/** An external evidence reference: the sender's own id of a file it keeps (卷宗、证据系统编号). */
export interface EvidenceRef {
  ref: string;
  name?: string;
  url?: string;
}

/** The officer responsible for an event, as the sender names them: matched to a user by 执法证号. */
export interface ResponsibleOfficer {
  certificateNumber: string;
  name?: string;
}

/**
 * Events that issue a legal document (事先告知书, 听证通知书, 送达回证): the document names the officer who answers
 * for it, never the system's own account, so the sender must name that officer.
 */
export const DOCUMENT_EVENTS = new Set(['notice_served', 'hearing_notified', 'served']);

export interface ParsedEvent {
  eventId: string;
  officer: ResponsibleOfficer | null;
  input: StageEventInput;
  stageEventId: string | null;
  evidenceRefs: EvidenceRef[];
}

const TYPES = new Set(
  (StageEvent.anyOf as { properties: { type: { const: string } } }[]).map((m) => m.properties.type.const),
);
const NEEDS_STAGE = new Set(['stage_closed', 'files_linked']);
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

const invalid = (field: string, message: string) => new AppError(400, 'VALIDATION_FAILED', message, { field });

/** Checks one event as sent, naming the first field that is wrong; its eventId becomes the lifecycle's externalId. */
export function parseEvent(raw: unknown): ParsedEvent {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('event', '事件应为 JSON 对象');
  const {
    eventId,
    stageEventId,
    evidenceRefs,
    officer,
    externalId: _ignored,
    ...rest
  } = raw as Record<string, unknown>;
  if (typeof eventId !== 'string' || eventId.length < 1 || eventId.length > 200) {
    throw invalid('eventId', 'eventId 必填（1 至 200 个字符），同一事件重发时须相同');
  }
  if (typeof rest.type !== 'string' || !TYPES.has(rest.type)) {
    throw invalid('type', `type 应为以下之一：${[...TYPES].join('、')}`);
  }
  const refs = evidenceRefs ?? [];
  const refOk = (r: unknown) =>
    !!r &&
    typeof r === 'object' &&
    typeof (r as EvidenceRef).ref === 'string' &&
    (r as EvidenceRef).ref.length > 0 &&
    (r as EvidenceRef).ref.length <= 200 &&
    ['undefined', 'string'].includes(typeof (r as EvidenceRef).name) &&
    ['undefined', 'string'].includes(typeof (r as EvidenceRef).url);
  if (!Array.isArray(refs) || refs.length > 50 || !refs.every(refOk)) {
    throw invalid('evidenceRefs', 'evidenceRefs 应为至多 50 个 { ref, name?, url? }');
  }
  const responsible = parseOfficer(officer, rest.type);
  let stageRef: string | null = null;
  if (NEEDS_STAGE.has(rest.type) && rest.stageId === undefined) {
    if (typeof stageEventId !== 'string' || !stageEventId) {
      throw invalid('stageEventId', '请给出环节：stageEventId（开始该环节的事件的 eventId）或 stageId');
    }
    stageRef = stageEventId;
    rest.stageId = PLACEHOLDER;
  }
  const candidate = { ...rest, externalId: eventId };
  if (!Value.Check(StageEvent, candidate)) {
    const errors = [...Value.Errors(StageEvent, candidate)];
    const first = errors.find((e) => e.instancePath && e.instancePath !== '/type') ?? errors[0];
    const field = first?.instancePath.slice(1).split('/')[0] || 'type';
    throw invalid(field, `字段 ${field} 不符合 ${rest.type} 事件的要求${first ? `：${first.message}` : ''}`);
  }
  return {
    eventId,
    officer: responsible,
    input: candidate as StageEventInput,
    stageEventId: stageRef,
    evidenceRefs: refs as EvidenceRef[],
  };
}

/** `officer: { certificateNumber, name? }`: required for an event that issues a document, checked when given. */
function parseOfficer(raw: unknown, type: string): ResponsibleOfficer | null {
  if (raw === undefined || raw === null) {
    if (!DOCUMENT_EVENTS.has(type)) return null;
    throw invalid(
      'officer',
      `${type} 事件将出具执法文书，文书须载明承办执法人员：请给出 officer: { certificateNumber（执法证号）, name? }`,
    );
  }
  const o = raw as Record<string, unknown>;
  const number = typeof o.certificateNumber === 'string' ? o.certificateNumber.trim() : '';
  if (typeof raw !== 'object' || Array.isArray(raw) || !number || number.length > 50) {
    throw invalid('officer.certificateNumber', 'officer.certificateNumber（执法证号）必填，1 至 50 个字符');
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length > 50)) {
    throw invalid('officer.name', 'officer.name（执法人员姓名）应为至多 50 个字符');
  }
  return { certificateNumber: number, ...(typeof o.name === 'string' && o.name.trim() && { name: o.name.trim() }) };
}

const missing = (prerequisite: string, message: string, field = 'type') =>
  new AppError(409, 'PREREQUISITE_MISSING', `${message}；请在其到达后重发本事件`, { field, prerequisite });

/**
 * Refuses, with 409 PREREQUISITE_MISSING naming it, an event whose prerequisite stage has not been recorded yet
 * (the sender retries; a batch retries it itself after the batch's other events), and resolves stageEventId.
 */
export async function checkPrerequisites(db: Database, caseId: string, source: string, e: ParsedEvent) {
  const type = e.input.type;
  if (type === 'filed') return;
  if (!(await caseFiled(db, caseId))) throw missing('filed', '本案尚未立案（filed）');
  if (e.stageEventId) {
    const opened = await recordedEvent(db, caseId, source, e.stageEventId);
    if (!opened?.stage_id) {
      throw missing('stage_opened', `开始该环节的事件 ${e.stageEventId} 尚未收到`, 'stageEventId');
    }
    (e.input as { stageId: string }).stageId = opened.stage_id;
  }
  const needs: Record<string, [string, string, string]> = {
    statement: ['notice', 'notice_served', '尚未事先告知（notice_served）'],
    hearing_requested: ['notice', 'notice_served', '尚未事先告知（notice_served）'],
    hearing_notified: ['hearing', 'hearing_requested', '当事人尚未要求听证（hearing_requested）'],
    hearing_held: ['hearing', 'hearing_requested', '当事人尚未要求听证（hearing_requested）'],
    hearing_waived: ['hearing', 'hearing_requested', '当事人尚未要求听证（hearing_requested）'],
  };
  const need = needs[type];
  if (need && !(await caseStages(db, caseId)).some((s) => s.kind === need[0])) throw missing(need[1], need[2]);
}
