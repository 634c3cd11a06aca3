import type { HistoryEvent } from '../engine/materialize.js';
import { reassignOpenTasks } from '../engine/reassign.js';
import { withInstanceLocked } from '../engine/task-clock.js';
import { noReviewerError, pickReviewer } from './assignment.js';
import type { CaseContext } from './context.js';
import * as q from './queries.js';
import type { CaseRow } from './tables.js';

/**
 * Records that a user may not review a case (回避). If they are its reviewer now, the case and its open
 * tasks go to another reviewer picked the usual way; the instance's reviewerId follows, so later steps
 * (re-review) go to the new reviewer too.
 */
export async function reassignIfConflicted(
  ctx: CaseContext,
  c: CaseRow,
  input: { userId: string; reason: string; declaredBy: string },
): Promise<string | null> {
  if (!c.instance_id) {
    await ctx.db
      .insertInto('case_conflicts')
      .values({ case_id: c.id, user_id: input.userId, reason: input.reason, declared_by: input.declaredBy })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return null;
  }
  const instanceId = c.instance_id;
  return withInstanceLocked(ctx.runtime, instanceId, async (trx) => {
    await trx
      .insertInto('case_conflicts')
      .values({ case_id: c.id, user_id: input.userId, reason: input.reason, declared_by: input.declaredBy })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const event = (type: string, payload: Record<string, unknown>): HistoryEvent => ({
      instance_id: instanceId,
      type,
      element_id: null,
      actor_id: input.declaredBy,
      payload,
    });
    const events = [event('case.conflict_declared', { caseId: c.id, userId: input.userId, reason: input.reason })];
    const fresh = await q.lockCase(trx, c.id);
    if (fresh?.reviewer_id !== input.userId) return { result: null, events, outbox: [] };
    const next = await pickReviewer(trx, fresh);
    if (!next) throw await noReviewerError(trx, c.department_id);
    await reassignOpenTasks(trx, instanceId, { from: input.userId, to: next.id, variable: 'reviewerId' });
    await q.updateCase(trx, c.id, { reviewerId: next.id });
    events.push(
      event('case.reviewer_reassigned', {
        caseId: c.id,
        from: input.userId,
        to: next.id,
        toName: next.display_name,
        toDepartment: next.department_name,
        basis: next.basis,
      }),
    );
    return { result: next.id, events, outbox: [] };
  });
}
