import type { CaseContext } from '../cases/context.js';
import { revisePacket, type SubmittedFacts, submitCase, visibleCase } from '../cases/service.js';
import type { Packet } from '../cases/tables.js';
import { AppError, statusOf } from '../http/errors.js';
import { DomainError } from '../infra/errors.js';
import { type LifecycleContext, recordStageEvent } from '../lifecycle/service.js';
import { recordedEvent } from '../lifecycle/view.js';
import { checkPrerequisites, type ParsedEvent, parseEvent } from './events.js';
import * as q from './queries.js';
import type { IntakeCaller } from './systems.js';

export interface IntakeContext {
  cases: CaseContext;
  lifecycle: LifecycleContext;
}

/** JSON with sorted keys: two packets that say the same thing compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Creates the case an external id names, or updates its packet while it can still be revised (补充材料, 补正).
 * The same body twice changes nothing. A submission whose mapping was lost (a crash in between) is found again by
 * its case number, unique per department, so a retry never creates a second case.
 */
export async function putCase(
  ctx: IntakeContext,
  caller: IntakeCaller,
  externalId: string,
  body: { packet: Packet; facts: SubmittedFacts; requestReview?: boolean },
): Promise<{ caseId: string; created: boolean; updated: boolean }> {
  const { actor } = caller;
  let caseId = await q.mappedCase(ctx.cases.db, caller.systemId, externalId);
  if (!caseId) {
    try {
      caseId = (await submitCase(ctx.cases, actor, body)).caseId;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CASE_NUMBER_TAKEN')) throw err;
      caseId = await q.caseByNumber(ctx.cases.db, actor.departmentId, body.packet.caseNumber);
      if (!caseId) throw err;
    }
    if (await q.mapCase(ctx.cases.db, caller.systemId, externalId, caseId)) {
      return { caseId, created: true, updated: false };
    }
    const mapped = await q.mappedCase(ctx.cases.db, caller.systemId, externalId);
    if (mapped !== caseId) {
      throw new AppError(409, 'CASE_NUMBER_TAKEN', `案件编号 ${body.packet.caseNumber} 已属于另一外部案件`, {
        field: 'packet.caseNumber',
      });
    }
  }
  const c = await visibleCase(ctx.cases, actor, caseId);
  const packet: Packet = {
    ...body.packet,
    officerIds: body.packet.officerIds?.length ? body.packet.officerIds : c.packet.officerIds,
  };
  if (canonical(packet) === canonical(c.packet)) return { caseId, created: false, updated: false };
  await revisePacket(ctx.cases, actor, caseId, packet);
  return { caseId, created: false, updated: true };
}

export interface EventOutcome {
  eventId: string | null;
  status: 'recorded' | 'duplicate' | 'rejected';
  httpStatus: number;
  lifecycleEventId?: string;
  stageId?: string | null;
  error?: { code: string; message: string; details?: unknown };
}

async function caseOf(ctx: IntakeContext, caller: IntakeCaller, externalId: string) {
  const caseId = await q.mappedCase(ctx.cases.db, caller.systemId, externalId);
  if (!caseId) throw new AppError(404, 'CASE_NOT_FOUND', `外部案件 ${externalId} 尚未报送（请先 PUT 该案件）`);
  return caseId;
}

/**
 * The officer an event names, as a user of the system's department: an active enforcement officer whose 执法证
 * has that number, is valid on the event's date and (when a name is sent) is that person. 400 naming the field.
 */
async function responsibleOfficer(ctx: IntakeContext, caller: IntakeCaller, e: ParsedEvent) {
  if (!e.officer) return null;
  const { certificateNumber, name } = e.officer;
  const u = await q.officerByCertificate(ctx.cases.db, caller.actor.departmentId, certificateNumber);
  const field = 'officer.certificateNumber';
  if (!u?.active || !u.roles.includes('officer')) {
    throw new AppError(400, 'VALIDATION_FAILED', `执法证号 ${certificateNumber} 不是本机关在职执法人员的执法证号`, {
      field,
    });
  }
  if (u.certificate_valid_until && u.certificate_valid_until < e.input.date) {
    throw new AppError(400, 'VALIDATION_FAILED', `执法证 ${certificateNumber} 已于 ${u.certificate_valid_until} 到期`, {
      field,
    });
  }
  if (name && name !== u.display_name) {
    throw new AppError(400, 'VALIDATION_FAILED', `执法证号 ${certificateNumber} 的持证人不是“${name}”`, {
      field: 'officer.name',
    });
  }
  return { id: u.id, name: u.display_name, certificateNumber };
}

async function receiveOne(ctx: IntakeContext, caller: IntakeCaller, caseId: string, raw: unknown) {
  const e = parseEvent(raw);
  const seen = await recordedOnce(ctx, caller, caseId, e.eventId);
  if (seen) return seen;
  const officer = await responsibleOfficer(ctx, caller, e);
  await checkPrerequisites(ctx.cases.db, caseId, caller.source, e);
  const extra = {
    ...(e.evidenceRefs.length ? { evidenceRefs: e.evidenceRefs } : {}),
    ...(officer ? { officer } : {}),
  };
  const r = await recordStageEvent(ctx.lifecycle, caller.actor, caseId, e.input, caller.source, extra, officer?.id);
  return outcome(e.eventId, r.duplicate, r.eventId, r.stageId);
}

async function recordedOnce(ctx: IntakeContext, caller: IntakeCaller, caseId: string, eventId: string) {
  const found = await recordedEvent(ctx.cases.db, caseId, caller.source, eventId);
  return found ? outcome(eventId, true, found.id, found.stage_id) : null;
}

const outcome = (eventId: string, duplicate: boolean, id: string, stageId: string | null): EventOutcome => ({
  eventId,
  status: duplicate ? 'duplicate' : 'recorded',
  httpStatus: duplicate ? 200 : 201,
  lifecycleEventId: id,
  stageId,
});

/** One event: recorded (201), a duplicate (200), or refused with its own error (thrown). */
export async function receiveEvent(ctx: IntakeContext, caller: IntakeCaller, externalId: string, raw: unknown) {
  return receiveOne(ctx, caller, await caseOf(ctx, caller, externalId), raw);
}

/**
 * A batch: each event answered on its own. Events waiting for a prerequisite in the same batch are retried after
 * the others, as long as a round records something, so a batch in any order records what its order allows.
 */
export async function receiveBatch(ctx: IntakeContext, caller: IntakeCaller, externalId: string, events: unknown[]) {
  const caseId = await caseOf(ctx, caller, externalId);
  const results: EventOutcome[] = new Array(events.length);
  let pending = events.map((_, i) => i);
  for (;;) {
    const waiting: number[] = [];
    for (const i of pending) {
      try {
        results[i] = await receiveOne(ctx, caller, caseId, events[i]);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const id = (events[i] as { eventId?: unknown } | null)?.eventId;
        const status = statusOf(err);
        results[i] = {
          eventId: typeof id === 'string' ? id : null,
          status: 'rejected',
          httpStatus: status,
          error: { code: err.code, message: err.message, details: err.details },
        };
        if (err.code === 'PREREQUISITE_MISSING') waiting.push(i);
      }
    }
    if (waiting.length === 0 || waiting.length === pending.length) break;
    pending = waiting;
  }
  const count = (s: EventOutcome['status']) => results.filter((r) => r.status === s).length;
  return { results, recorded: count('recorded'), duplicates: count('duplicate'), rejected: count('rejected') };
}
