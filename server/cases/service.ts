import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { evaluateForDepartment } from '../catalogue/service.js';
import type { CaseFacts } from '../catalogue/vocabulary.js';
import type { DB } from '../database/schema.js';
import { appendHistory } from '../engine/history.js';
import { startInstance } from '../engine/instances.js';
import { AppError } from '../http/errors.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';
import { createDisclosure, decisionOfCase } from '../publicity/disclosures/create.js';
import { deliverTimerEffects } from '../publicity/disclosures/timers.js';
import { appendCaseRecords } from '../records/append.js';
import { recordSupervisorAccess } from '../records/service.js';
import { amountMismatch, writtenAmounts } from './amounts.js';
import type { CaseContext } from './context.js';
import { checkRecordedDecision } from './decision-record.js';
import { guardGate } from './gate.js';
import { personFor, recordedPerson } from './people.js';
import * as q from './queries.js';
import { reviewVariables } from './review-variables.js';
import type { CaseRow, Packet } from './tables.js';

/** Case facts the submitter gives; category, party type and hearing come from the packet itself. */
export type SubmittedFacts = Omit<CaseFacts, 'category' | 'partyType' | 'hearingHeld'>;

/** A case the caller may see; another department's case does not exist for them (404, not 403). */
export async function visibleCase(ctx: CaseContext, actor: Actor, caseId: string): Promise<CaseRow> {
  const c = await q.findCase(ctx.db, caseId);
  if (
    !c ||
    (c.department_id !== actor.departmentId && !readsAllDepartments(actor) && !(await isReviewerOf(ctx, actor, c)))
  ) {
    throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  }
  return c;
}

/** The amount the proposal writes against the declared 涉案金额: a mismatch blocks the submission. */
function assertAmountMatches(proposedDecision: string, declared: number) {
  const mismatch = amountMismatch(proposedDecision, declared);
  if (mismatch) {
    throw new AppError(400, 'VALIDATION_FAILED', mismatch, {
      field: 'amount',
      written: writtenAmounts(proposedDecision),
      declared,
    });
  }
}

/** A reviewer borrowed from the pool sees the case assigned to them. */
async function isReviewerOf(ctx: CaseContext, actor: Actor, c: CaseRow) {
  if (c.reviewer_id === actor.id) return true;
  if (!c.instance_id) return false;
  const task = await ctx.db
    .selectFrom('tasks')
    .select('id')
    .where('instance_id', '=', c.instance_id)
    .where('assignee_id', '=', actor.id)
    .executeTakeFirst();
  return !!task;
}

async function assertOfficers(ctx: CaseContext, actor: Actor, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'roles', 'department_id'])
    .where('id', 'in', ids)
    .execute();
  const ok = new Set(
    rows.filter((r) => r.department_id === actor.departmentId && r.roles.includes('officer')).map((r) => r.id),
  );
  const bad = ids.filter((id) => !ok.has(id));
  if (bad.length) throw new AppError(400, 'VALIDATION_FAILED', '承办人员须为本机关的执法人员', { officerIds: bad });
}

/**
 * 送审: records the packet, judges it against the department's catalogue and, when review is mandatory or
 * asked for, starts the review process — case, first round and process instance in one transaction.
 */
export async function submitCase(
  ctx: CaseContext,
  actor: Actor,
  input: { packet: Packet; facts: SubmittedFacts; requestReview?: boolean },
) {
  const packet: Packet = {
    ...input.packet,
    officerIds: [...new Set(input.packet.officerIds.length ? input.packet.officerIds : [actor.id])],
  };
  await assertOfficers(ctx, actor, packet.officerIds);
  assertAmountMatches(packet.proposedDecision, input.facts.amount);
  await ctx.discretionCheck?.(ctx.db, actor.departmentId, packet);
  if (await q.caseNumberTaken(ctx.db, actor.departmentId, packet.caseNumber)) {
    throw new AppError(409, 'CASE_NUMBER_TAKEN', `案件编号 ${packet.caseNumber} 已送审`);
  }
  const facts: CaseFacts = {
    ...input.facts,
    category: packet.category,
    partyType: packet.party.type,
    hearingHeld: packet.hearingHeld,
  };
  const evaluation = await evaluateForDepartment({ db: ctx.db, cache: ctx.runtime.cache }, actor.departmentId, facts);
  const requested = evaluation.mandatory || input.requestReview === true;
  const caseId = randomUUID();
  const item = evaluation.matched;
  // The handling unit is the submitting officer's unit at submission; the record names it and the officer.
  const insert = async (trx: Parameters<typeof q.insertCase>[0], instanceId: string | null) => {
    const officer = await personFor(trx, actor.id, actor.departmentId);
    await q.insertCase(trx, {
      handlingUnitId: officer?.unitId ?? null,
      id: caseId,
      departmentId: actor.departmentId,
      packet,
      facts,
      mandatory: evaluation.mandatory,
      requested,
      catalogueItem: item ? { ...item } : null,
      catalogueReason: evaluation.reason,
      status: requested ? 'accepting' : 'not_required',
      submittedBy: actor.id,
      instanceId,
    });
    await q.insertRound(trx, { caseId, round: 1, packet, changes: [], note: null, submittedBy: actor.id });
    return { handlingUnit: officer?.unit ?? null, by: recordedPerson(officer) };
  };
  let instanceId: string | null = null;
  if (requested) {
    const started = await startInstance(ctx.runtime, actor, {
      departmentId: actor.departmentId,
      processKey: evaluation.catalogue.processKey,
      businessKey: packet.caseNumber,
      variables: reviewVariables(caseId, packet, item, evaluation.mandatory),
      onCreate: async (trx, id) => {
        const units = await insert(trx, id);
        await appendHistory(ctx.runtime, trx, [
          {
            instance_id: id,
            type: 'case.submitted',
            element_id: null,
            actor_id: actor.id,
            payload: {
              caseId,
              mandatory: evaluation.mandatory,
              reason: evaluation.reason,
              catalogueCode: item?.code ?? null,
              ...units,
            },
          },
        ]);
      },
    });
    instanceId = started.instanceId;
  } else {
    // Without a process instance the case's record is written here rather than through the instance history.
    await ctx.db.transaction().execute(async (trx) => {
      const units = await insert(trx, null);
      await appendCaseRecords(trx, caseId, [
        {
          at: ctx.clock.now().toISOString(),
          actorId: actor.id,
          type: 'case.submitted',
          payload: { caseId, mandatory: false, requested: false, reason: evaluation.reason, ...units },
        },
      ]);
    });
  }
  return {
    caseId,
    instanceId,
    reviewRequired: evaluation.mandatory,
    reviewRequested: requested,
    catalogueItem: item,
    reason: evaluation.reason,
  };
}

/**
 * Every opening of a case by the justice bureau stays on the case's record (可实时调阅, every access recorded),
 * whether through the API or the case page.
 */
export async function recordSupervisorView(ctx: CaseContext, actor: Actor, c: CaseRow) {
  await recordSupervisorAccess(ctx.runtime.history, ctx.db, actor, c, null, ctx.clock.now());
}

/** The handling unit revises its packet while it is back with them (completion or correction). */
export async function revisePacket(ctx: CaseContext, actor: Actor, caseId: string, packet: Packet) {
  const revise = await packetRevision(ctx, actor, caseId, packet);
  await ctx.db.transaction().execute(revise);
}

/**
 * Checks a packet revision and returns the write, for the caller's transaction: the page's correction step
 * saves the revised packet in the same transaction as the step it completes.
 */
export async function packetRevision(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  packet: Packet,
): Promise<(trx: Transaction<DB>) => Promise<void>> {
  const c = await visibleCase(ctx, actor, caseId);
  if (c.department_id !== actor.departmentId || !actor.roles.includes('officer')) {
    throw new AppError(403, 'FORBIDDEN', '只有本机关的承办人员可以修改送审材料');
  }
  if (c.status !== 'completing' && c.status !== 'correcting') {
    throw new AppError(409, 'CONFLICT', '只有在补充材料或退回补正期间可以修改送审材料');
  }
  if (packet.caseNumber !== c.case_number || packet.category !== c.category) {
    throw new AppError(400, 'VALIDATION_FAILED', '案件编号和决定类别不能修改');
  }
  await assertOfficers(ctx, actor, packet.officerIds);
  assertAmountMatches(packet.proposedDecision, Number(c.facts.amount ?? 0));
  await ctx.discretionCheck?.(ctx.db, c.department_id, packet);
  return async (trx) => {
    await q.updateCase(trx, c.id, { packet });
  };
}

/** A decision outside the catalogue, with no review asked for, is recorded directly; any other goes through the gate. */
export async function recordDirectDecision(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  d: { number: string; date: string; content: string },
) {
  const c = await visibleCase(ctx, actor, caseId);
  if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '无权记录其他机关的决定');
  await guardGate(
    {
      db: ctx.db,
      history: ctx.runtime.history,
      now: () => ctx.clock.now(),
      decisionPreconditions: ctx.decisionPreconditions,
    },
    c,
    'record_decision',
    actor.id,
  );
  if (c.status !== 'not_required') throw new AppError(409, 'CONFLICT', '此案件的决定须在审核流程中记录');
  checkRecordedDecision(c, { ...d, deviationReason: '' }, ctx.clock.now());
  const decision = { ...d, recordedBy: actor.id, recordedAt: ctx.clock.now().toISOString() };
  // 事后公开: the decision and its disclosure (with the legal deadline and timers) commit together.
  const disclosure = await ctx.db.transaction().execute(async (trx) => {
    await q.updateCase(trx, c.id, { status: 'decided', decision });
    await appendCaseRecords(trx, c.id, [
      {
        at: decision.recordedAt,
        actorId: actor.id,
        type: 'case.decided',
        payload: { caseId: c.id, number: d.number, date: d.date },
      },
    ]);
    return createDisclosure(trx, ctx, decisionOfCase(c, d, actor.id));
  });
  await deliverTimerEffects({ ...ctx, queues: ctx.runtime.queues, log: ctx.runtime.log }, disclosure.effects);
  return decision;
}
