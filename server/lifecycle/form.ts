import { AppError } from '../http/errors.js';
import { eventProblem, FIELD_LABELS } from './event-check.js';
import type { StageEventInput } from './schemas.js';

const one = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '');
const opt = (v: unknown) => one(v) || undefined;
const flag = (v: unknown) => one(v) === 'on' || one(v) === 'true';
const many = (v: unknown) => {
  const all = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x.trim() : '')).filter(Boolean);
  return all.length ? all : undefined;
};
const int = (v: unknown) => (one(v) ? Number.parseInt(one(v), 10) : undefined);

/** The stage panel's form fields as the event the API takes; a missing or bad field is a 400 naming it. */
export function eventFromForm(body: Record<string, unknown>): StageEventInput {
  const type = one(body.type);
  const base = { type, date: one(body.date) };
  const fields: Record<string, Record<string, unknown>> = {
    filed: { note: opt(body.note) },
    stage_opened: {
      kind: one(body.kind),
      actors: one(body.actors)
        .split(/[,，、\s]+/)
        .filter(Boolean),
      note: opt(body.note),
    },
    stage_closed: { stageId: one(body.stageId), note: opt(body.note) },
    notice_served: { statementWorkingDays: int(body.statementWorkingDays), hearingRight: flag(body.hearingRight) },
    statement: {
      waived: flag(body.waived),
      hearingWaived: flag(body.hearingWaived),
      content: opt(body.content),
      factsChanged: flag(body.factsChanged),
      revisedFacts: opt(body.revisedFacts),
      revisedProposal: opt(body.revisedProposal),
    },
    hearing_requested: {},
    hearing_notified: {
      hearingDate: one(body.hearingDate),
      hearingTime: opt(body.hearingTime),
      place: one(body.place),
      presiderId: one(body.presiderId),
      presider: opt(body.presider),
    },
    hearing_held: {
      factsChanged: flag(body.factsChanged),
      revisedFacts: opt(body.revisedFacts),
      revisedProposal: opt(body.revisedProposal),
      note: opt(body.note),
    },
    hearing_waived: { reason: one(body.reason) },
    served: {
      method: one(body.method),
      recipient: opt(body.recipient),
      servicePlace: opt(body.servicePlace),
      consentConfirmed: flag(body.consentConfirmed),
      servedDocuments: many(body.servedDocuments),
      witness: opt(body.witness),
      refusalReason: opt(body.refusalReason),
      attachmentIds: many(body.attachmentIds),
    },
    executed: { mode: one(body.mode), note: opt(body.note) },
    limit_extended: { days: int(body.days), basis: one(body.basis), reason: one(body.reason) },
    archived: { note: opt(body.note) },
  };
  const extra = fields[type];
  if (!extra) throw new AppError(400, 'VALIDATION_FAILED', '未知的办案环节', { field: 'type' });
  if (type === 'served' && !extra.servedDocuments) {
    throw new AppError(400, 'VALIDATION_FAILED', '请选择本次送达的文书', { field: 'servedDocuments' });
  }
  const candidate = JSON.parse(JSON.stringify({ ...base, ...extra }));
  // Checked against its own type's schema (the type is one of `fields`, so the check finds its branch).
  const problem = eventProblem(candidate);
  if (problem) {
    const label = FIELD_LABELS[problem.field] ?? problem.field;
    throw new AppError(400, 'VALIDATION_FAILED', `请检查“${label}”`, { field: problem.field });
  }
  return candidate as StageEventInput;
}
