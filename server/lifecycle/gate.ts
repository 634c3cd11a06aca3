import type { DecisionPrecondition } from '../cases/gate.js';
import { AppError } from '../http/errors.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import * as q from './queries.js';
import { procedureRefusal } from './state.js';

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
  const refusal = procedureRefusal(await q.listStages(db, c.id), instantToShanghaiDate(now));
  if (!refusal) return null;
  return new AppError(409, 'PROCEDURE_NOT_COMPLETE', `${PROCEDURE_GATE}：${refusal}`, {
    gate: PROCEDURE_GATE,
    act: 'record_decision',
  });
};
