import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface Leader {
  userId: string;
  name: string;
  username: string;
  position: string;
  /** 正职负责人或者主持工作的负责人 (移送涉嫌犯罪案件的审批人). */
  presiding: boolean;
}

/** The agency's leadership list, in its order. */
export async function listLeaders(db: Db, departmentId: string): Promise<Leader[]> {
  const rows = await db
    .selectFrom('department_leaders as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.user_id', 'u.display_name', 'u.username', 'l.position', 'l.presiding'])
    .where('l.department_id', '=', departmentId)
    .orderBy('l.sort')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.display_name,
    username: r.username,
    position: r.position,
    presiding: r.presiding,
  }));
}

/** Replaces the list as a whole (the admin edits it as one list). */
export async function replaceLeaders(
  trx: Transaction<DB>,
  departmentId: string,
  leaders: { userId: string; position: string; presiding: boolean }[],
  by: string,
): Promise<void> {
  await trx.deleteFrom('department_leaders').where('department_id', '=', departmentId).execute();
  if (leaders.length === 0) return;
  await trx
    .insertInto('department_leaders')
    .values(
      leaders.map((l, i) => ({
        department_id: departmentId,
        user_id: l.userId,
        position: l.position,
        presiding: l.presiding,
        sort: i,
        updated_by: by,
      })),
    )
    .execute();
}

/** Which of these users belong to the department (a list names only the agency's own staff). */
export async function usersOfDepartment(db: Db, departmentId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('department_id', '=', departmentId)
    .where('id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.id));
}
