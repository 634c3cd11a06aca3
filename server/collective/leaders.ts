import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import { type Actor, hasRole } from '../identity/service.js';
import { type Leader, listLeaders, replaceLeaders, usersOfDepartment } from './queries.js';
import { MAX_LEADERS, quorumOf } from './rules.js';

export interface LeaderInput {
  userId: string;
  position: string;
  /** 正职负责人或者主持工作的负责人: at most one on the list. */
  presiding?: boolean;
}

/** The list with its quorum rule, as the API and the page show it. */
export async function leaderList(db: Database, departmentId: string) {
  const leaders = await listLeaders(db, departmentId);
  return { leaders, quorum: leaders.length ? quorumOf(leaders.length) : 0 };
}

/** Who keeps a department's leadership list: the system admin, or a legal admin of that department. */
export function mayEditLeaders(actor: Actor, departmentId: string): boolean {
  return hasRole(actor, 'admin') || (hasRole(actor, 'legal_admin') && actor.departmentId === departmentId);
}

/** Who may read it: those who keep it, the justice bureau, and the department's own chiefs and legal admins. */
export function mayReadLeaders(actor: Actor, departmentId: string): boolean {
  return hasRole(actor, 'admin', 'supervisor') || actor.departmentId === departmentId;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(400, 'VALIDATION_FAILED', message, { field: 'leaders', ...details });

/**
 * Replaces a department's leadership list (领导班子名单) as a whole, in its order: each of the agency's own staff
 * once, with the 职务 the 集体讨论记录 prints. The same checks for the API, the page and the demo loader.
 */
export async function saveLeaderList(
  db: Database,
  departmentId: string,
  leaders: LeaderInput[],
  by: string,
): Promise<Leader[]> {
  const list = leaders.map((l) => ({ userId: l.userId, position: l.position.trim(), presiding: l.presiding === true }));
  if (list.length > MAX_LEADERS) throw invalid(`负责人名单最多 ${MAX_LEADERS} 人`);
  const blank = list.find((l) => !l.position);
  if (blank) throw invalid('请填写每位负责人的职务', { userId: blank.userId });
  if (list.some((l) => l.position.length > 50)) throw invalid('职务不能超过 50 个字');
  const ids = list.map((l) => l.userId);
  if (new Set(ids).size !== ids.length) throw invalid('负责人名单中有重复的人员');
  if (list.filter((l) => l.presiding).length > 1) throw invalid('正职负责人或者主持工作的负责人只能指定一人');
  const own = await usersOfDepartment(db, departmentId, ids);
  const foreign = ids.filter((id) => !own.has(id));
  if (foreign.length) throw invalid('负责人名单只能列本机关的人员', { foreign });
  await db.transaction().execute((trx) => replaceLeaders(trx, departmentId, list, by));
  return listLeaders(db, departmentId);
}

/** The agency's 正职负责人或者主持工作的负责人 as its leadership list names them, if it does. */
export async function presidingLeader(db: Database, departmentId: string): Promise<Leader | undefined> {
  return (await listLeaders(db, departmentId)).find((l) => l.presiding);
}
