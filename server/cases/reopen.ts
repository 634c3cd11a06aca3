import { sql, type Transaction } from 'kysely';
import { evaluateForDepartment } from '../catalogue/service.js';
import type { CaseFacts } from '../catalogue/vocabulary.js';
import type { DB } from '../database/schema.js';
import { appendHistory } from '../engine/history.js';
import { startInstance } from '../engine/instances.js';
import { deliverCommitted, type OutboxRow } from '../engine/outbox.js';
import { supersedeInstance } from '../engine/supersede.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { amountMismatch } from './amounts.js';
import type { CaseContext } from './context.js';
import * as q from './queries.js';
import { reviewVariables } from './review-variables.js';
import { snapshotRound } from './rounds.js';
import { visibleCase } from './service.js';
import type { CaseRow } from './tables.js';

/** What the party's 陈述申辩 or the hearing changed: the facts found, the proposed decision, or both. */
export interface PacketRevision {
  factsFound?: string;
  proposedDecision?: string;
  /** Set when a hearing was held: the packet then states 经过听证, and the case is judged again on that fact. */
  hearingHeld?: boolean;
  note: string;
}

/** Statuses in which the review's flow is running and past the packet's own correction steps. */
const REOPENABLE = new Set(['accepting', 'reviewing', 'contesting', 'recording']);

/**
 * 行政处罚法第四十五条: facts or reasons the party gave that hold are adopted; when that changes the facts or the
 * proposal, the case goes back to 法制审核 as a new round (再次报送, as after 退回补正): the running flow is
 * superseded, the revised packet is frozen as the next round and the department's review flow starts again for
 * the same case. The chief's decision on the old packet no longer stands. `alongside` runs in the same
 * transaction (the caller's own record of why). Returns the new round.
 */
export async function reopenReview(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  revision: PacketRevision,
  alongside: (trx: Transaction<DB>, c: CaseRow, round: number) => Promise<void>,
): Promise<{ round: number; instanceId: string }> {
  const c = await visibleCase(ctx, actor, caseId);
  if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能处理本机关的案件');
  // A case submitted without review (无需审核) that the hearing made mandatory is sent to review for the first time.
  const firstReview = !c.instance_id && c.status === 'not_required' && revision.hearingHeld === true;
  if (!firstReview && (!c.instance_id || !REOPENABLE.has(c.status))) {
    throw new AppError(409, 'CONFLICT', '本案当前不在法制审核流程中，不能重新报送审核', { status: c.status });
  }
  const packet = {
    ...c.packet,
    factsFound: revision.factsFound?.trim() || c.packet.factsFound,
    proposedDecision: revision.proposedDecision?.trim() || c.packet.proposedDecision,
    hearingHeld: revision.hearingHeld ?? c.packet.hearingHeld,
  };
  // The re-reviewed packet states what happened: after a hearing it says 经过听证, and a case decided after a
  // hearing is judged against the catalogue again (the statutory floor makes its review mandatory).
  const facts = { ...c.facts, hearingHeld: packet.hearingHeld };
  const judged =
    packet.hearingHeld && !c.facts.hearingHeld
      ? await evaluateForDepartment({ db: ctx.db, cache: ctx.runtime.cache }, c.department_id, facts as CaseFacts)
      : null;
  const newlyMandatory = judged?.mandatory === true && !c.review_mandatory;
  if (firstReview && !newlyMandatory) {
    throw new AppError(409, 'CONFLICT', '本案无需法制审核，不能报送审核', { status: c.status });
  }
  const mismatch = amountMismatch(packet.proposedDecision, Number(c.facts.amount ?? 0));
  if (mismatch) throw new AppError(400, 'VALIDATION_FAILED', mismatch, { field: 'proposedDecision' });
  const processKey = c.instance_id ? await processKeyOf(ctx, c.instance_id) : (judged?.catalogue.processKey as string);
  const variables = c.instance_id
    ? await restartVariables(ctx, c.instance_id)
    : reviewVariables(c.id, packet, judged?.matched ?? null);
  let round = 0;
  let effects: OutboxRow[] = [];
  const started = await startInstance(ctx.runtime, actor, {
    departmentId: c.department_id,
    processKey,
    businessKey: c.case_number,
    variables: { ...variables, ...(newlyMandatory ? { mandatory: true } : {}) },
    onCreate: async (trx, instanceId) => {
      const locked = (await q.lockCase(trx, c.id)) as CaseRow;
      if (locked.instance_id !== c.instance_id || locked.status !== c.status) {
        throw new AppError(409, 'CONFLICT', '本案已被他人处理，请刷新后重试', { status: locked.status });
      }
      if (c.instance_id) {
        effects = await supersedeInstance(ctx.runtime, trx, c.instance_id, actor.id, {
          caseId: c.id,
          reason: revision.note,
          replacedBy: instanceId,
        });
      }
      const next = await snapshotRound(trx, { ...locked, packet }, actor.id, revision.note);
      round = next.round;
      await trx
        .updateTable('cases')
        .set({
          packet: JSON.stringify(packet),
          facts: JSON.stringify(facts),
          ...(newlyMandatory && judged
            ? {
                review_mandatory: true,
                review_requested: true,
                catalogue_item: judged.matched ? JSON.stringify(judged.matched) : null,
                catalogue_reason: judged.reason,
              }
            : {}),
          instance_id: instanceId,
          status: 'accepting',
          current_round: round,
          review_passed: false,
          chief_decision: null,
          coordination: null,
          updated_at: sql`now()`,
        })
        .where('id', '=', c.id)
        .execute();
      await appendHistory(ctx.runtime, trx, [
        {
          instance_id: instanceId,
          type: 'case.resubmitted',
          element_id: null,
          actor_id: actor.id,
          payload: {
            caseId: c.id,
            round,
            changes: next.changes.length,
            reason: revision.note,
            reopened: true,
            ...(firstReview ? { firstReview: true } : {}),
          },
        },
      ]);
      await alongside(trx, { ...locked, packet, instance_id: instanceId }, round);
    },
  });
  await deliverCommitted(ctx.runtime, effects).catch((err) => ctx.runtime.log.warn({ err }, 'timer cancel deferred'));
  return { round, instanceId: started.instanceId };
}

async function processKeyOf(ctx: CaseContext, instanceId: string) {
  const row = await ctx.db
    .selectFrom('process_instances as i')
    .innerJoin('workflow_definitions as d', 'd.id', 'i.definition_id')
    .select('d.process_key')
    .where('i.id', '=', instanceId)
    .executeTakeFirstOrThrow();
  return row.process_key;
}

/** The variables the flow was started with (the case's, from submission), without what its steps added since. */
async function restartVariables(ctx: CaseContext, instanceId: string) {
  const row = await ctx.db
    .selectFrom('process_instances')
    .select('variables')
    .where('id', '=', instanceId)
    .executeTakeFirstOrThrow();
  const v = row.variables as Record<string, unknown>;
  const keep = [
    'caseId',
    'caseNumber',
    'caseTitle',
    'category',
    'mandatory',
    'catalogueCode',
    'reviewWorkingDays',
    'requiredMaterials',
    'collectiveDiscussion',
  ];
  return Object.fromEntries(keep.filter((k) => k in v).map((k) => [k, v[k]]));
}
