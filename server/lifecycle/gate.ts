import type { DecisionPrecondition } from '../cases/gate.js';
import { AppError } from '../http/errors.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import * as q from './queries.js';
import { hearingOf, procedureRefusal } from './state.js';

/**
 * A hearing held after which the catalogue makes review mandatory (经过听证), while the packet still says 未经听证:
 * no review covered what happened, so the decision waits for a round of 法制审核 on a packet stating the hearing.
 */
function heardWithoutReview(stages: Awaited<ReturnType<typeof q.listStages>>, c: { packet: { hearingHeld: boolean } }) {
  const required = hearingOf(stages)?.details.reviewRequired;
  if (typeof required !== 'string' || c.packet.hearingHeld) return null;
  return `听证后本案依目录须经法制审核（${required}），当前送审材料载明“未经听证”，须重新报送法制审核、审核通过后方可作出决定（行政处罚法第五十八条第一款第（二）项：经过听证程序的，未经法制审核不得作出决定）`;
}

export const PROCEDURE_GATE = '办案程序闸门';

/**
 * The law's order before a penalty decision, put before the recorded decision with the review gate (every door
 * and the service task): only for a penalty case whose 立案 is recorded, so cases without a lifecycle keep
 * their flow. 409 PROCEDURE_NOT_COMPLETE names what is missing and the article.
 */
export const lifecyclePrecondition: DecisionPrecondition = async (db, c, now) => {
  if (c.category !== 'penalty') return null;
  const lc = await q.findLifecycle(db, c.id);
  if (!lc) return null;
  const stages = await q.listStages(db, c.id);
  const refusal = procedureRefusal(stages, instantToShanghaiDate(now)) ?? heardWithoutReview(stages, c);
  if (!refusal) return null;
  return new AppError(409, 'PROCEDURE_NOT_COMPLETE', `${PROCEDURE_GATE}：${refusal}`, {
    gate: PROCEDURE_GATE,
    act: 'record_decision',
  });
};
