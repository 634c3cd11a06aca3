import { sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { CaseRow } from './tables.js';

/**
 * Picks the reviewer for a case: active reviewers of the department and of the city's shared pool (人才库),
 * least open work first, the department's own before borrowed ones. Nobody who handled the case (the
 * submitter or an officer on it) or who declared a conflict may review it (回避).
 */
export async function pickReviewer(
  trx: Transaction<DB>,
  c: Pick<CaseRow, 'id' | 'department_id' | 'submitted_by' | 'packet'>,
) {
  const excluded = [c.submitted_by, ...c.packet.officerIds];
  return trx
    .selectFrom('users as u')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name',
      'u.department_id',
      (eb) =>
        eb
          .selectFrom('tasks')
          .select((e) => e.fn.countAll<string>().as('n'))
          .where('tasks.assignee_id', '=', eb.ref('u.id'))
          .where('tasks.status', '=', 'open')
          .as('open_tasks'),
    ])
    .where('u.active', '=', true)
    .where(sql<boolean>`'reviewer' = ANY(u.roles)`)
    .where((eb) => eb.or([eb('u.department_id', '=', c.department_id), eb('p.user_id', 'is not', null)]))
    .where('u.id', 'not in', excluded)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_conflicts as cc')
            .select('cc.user_id')
            .whereRef('cc.user_id', '=', 'u.id')
            .where('cc.case_id', '=', c.id),
        ),
      ),
    )
    .orderBy('open_tasks')
    .orderBy(sql`(u.department_id = ${c.department_id})`, 'desc')
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirst();
}

export function isConflicted(trx: Transaction<DB>, caseId: string, userId: string) {
  return trx
    .selectFrom('case_conflicts')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
