import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Declared conflicts (回避) with their case, department, the user concerned and who declared it, newest first. */
export function listConflicts(db: Db, f: { departmentId?: string; limit: number; offset: number }) {
  let query = db
    .selectFrom('case_conflicts as cc')
    .innerJoin('cases as c', 'c.id', 'cc.case_id')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .innerJoin('users as u', 'u.id', 'cc.user_id')
    .innerJoin('departments as ud', 'ud.id', 'u.department_id')
    .leftJoin('users as decl', 'decl.id', 'cc.declared_by')
    .select([
      'cc.case_id',
      'cc.user_id',
      'cc.reason',
      'cc.declared_at',
      'cc.declared_by',
      'c.case_number',
      'c.title',
      'c.status',
      'c.reviewer_id',
      'd.name as department_name',
      'u.display_name as user_name',
      'ud.name as user_department_name',
      'decl.display_name as declared_by_name',
    ]);
  if (f.departmentId) query = query.where('c.department_id', '=', f.departmentId);
  return query.orderBy('cc.declared_at', 'desc').limit(f.limit).offset(f.offset).execute();
}

export async function countConflicts(db: Db): Promise<number> {
  const row = await db.selectFrom('case_conflicts').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
