import { type Kysely, sql, type Transaction } from 'kysely';
import type { CatalogueItem } from '../catalogue/vocabulary.js';
import type { DB } from '../database/schema.js';
import { appendHistory } from '../engine/history.js';
import { startInstance } from '../engine/instances.js';
import { instanceHistory } from '../engine/reads.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { CaseContext } from './context.js';
import * as q from './queries.js';
import { reviewVariables } from './review-variables.js';
import { snapshotRound } from './rounds.js';
import type { CaseRow } from './tables.js';

/**
 * A transferred case that comes back to the agency (the public security organ did not open a criminal case, the
 * chief did not approve the transfer, or the organ sent it back; 行政处罚法 art. 27, 国务院令第310号 第十条、第十三条)
 * is handled by the agency again through the path every case takes to its decision: its packet is submitted again
 * as a new round and a new instance of the department's review flow starts (受理 → 法制审核 → 负责人决定 → 记录决定),
 * since the earlier review concluded on a transfer, not on the decision the agency will now make.
 *
 * `onResume` runs in the same transaction, after the case points at the new instance, so what the caller writes
 * (its own rows and record entries) commits with the resumption or not at all.
 */
export async function resumeAfterTransfer(
  ctx: CaseContext,
  actor: Actor,
  caseId: string,
  input: { note: string; onResume: (trx: Transaction<DB>, c: CaseRow) => Promise<void> },
) {
  const c = await q.findCase(ctx.db, caseId);
  if (!c || c.department_id !== actor.departmentId) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  if (c.status !== 'transferred') throw new AppError(409, 'CONFLICT', '只有已移送司法机关的案件可以退回继续办理');
  const flow = c.instance_id
    ? await ctx.db
        .selectFrom('process_instances as i')
        .innerJoin('workflow_definitions as d', 'd.id', 'i.definition_id')
        .select('d.process_key')
        .where('i.id', '=', c.instance_id)
        .executeTakeFirst()
    : undefined;
  if (!flow) throw new AppError(409, 'CONFLICT', '本案没有审核流程，不能退回继续办理');
  const started = await startInstance(
    ctx.runtime,
    // The flow's steps for the handling unit go to whoever submitted the case, as on its first submission.
    { id: c.submitted_by },
    {
      departmentId: c.department_id,
      processKey: flow.process_key,
      businessKey: c.case_number,
      // What the catalogue item it was matched to sets, as on its first submission (its time limit, required
      // materials, and whether the leaders must discuss it), under the case's number, title and category.
      variables: {
        ...reviewVariables(c.id, c.packet, c.catalogue_item as CatalogueItem | null, c.review_mandatory),
        caseNumber: c.case_number,
        caseTitle: c.title,
        category: c.category,
      },
      onCreate: async (trx, instanceId) => {
        const locked = await q.lockCase(trx, c.id);
        if (locked?.status !== 'transferred') throw new AppError(409, 'CONFLICT', '此案件已退回继续办理');
        const round = await snapshotRound(trx, locked, actor.id, input.note);
        await q.updateCase(trx, c.id, { status: 'accepting', instanceId, currentRound: round.round });
        // The chief's transfer decision stays in the record; the case waits for the decision of this round.
        await trx
          .updateTable('cases')
          .set({ chief_decision: null, coordination: null, review_passed: false, updated_at: sql`now()` })
          .where('id', '=', c.id)
          .execute();
        const resumed = {
          ...locked,
          status: 'accepting' as const,
          instance_id: instanceId,
          current_round: round.round,
        };
        await appendHistory(ctx.runtime, trx, [
          {
            instance_id: instanceId,
            type: 'case.resumed_after_transfer',
            element_id: null,
            actor_id: actor.id,
            payload: { caseId: c.id, round: round.round, previousInstanceId: c.instance_id, note: input.note },
          },
        ]);
        await input.onResume(trx, resumed);
      },
    },
  );
  return { instanceId: started.instanceId };
}

/**
 * The instance history of a case across every run of its review: a case resumed after a transfer runs a new
 * instance, and its page still shows what happened before (the instances share the case number as business key).
 */
export async function caseHistory(db: Kysely<DB>, c: Pick<CaseRow, 'instance_id' | 'department_id' | 'case_number'>) {
  if (!c.instance_id) return [];
  const runs = await db
    .selectFrom('process_instances')
    .select('id')
    .where('department_id', '=', c.department_id)
    .where('business_key', '=', c.case_number)
    .execute();
  const ids = [...new Set([c.instance_id, ...runs.map((r) => r.id)])];
  if (ids.length === 1) return instanceHistory(db, c.instance_id);
  return (await Promise.all(ids.map((id) => instanceHistory(db, id)))).flat();
}
