import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../database/schema.js';
import type { CaseTransfersTable, TransferRow } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function transfersOfCase(db: Db, caseId: string): Promise<TransferRow[]> {
  return db.selectFrom('case_transfers').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

/** The case's latest transfer, locked for a step. */
export function lockLatest(trx: Transaction<DB>, caseId: string): Promise<TransferRow | undefined> {
  return trx
    .selectFrom('case_transfers')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export function lockTransfer(trx: Transaction<DB>, id: string): Promise<TransferRow | undefined> {
  return trx.selectFrom('case_transfers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertTransfer(trx: Transaction<DB>, row: Insertable<CaseTransfersTable>) {
  return trx.insertInto('case_transfers').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateTransfer(trx: Transaction<DB>, id: string, patch: Updateable<CaseTransfersTable>) {
  return trx
    .updateTable('case_transfers')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The department's officers among `ids` (the 专案组 must be enforcement officers of the agency). */
export async function officersAmong(db: Db, departmentId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'roles'])
    .where('id', 'in', ids)
    .where('department_id', '=', departmentId)
    .execute();
  return rows.filter((r) => r.roles.includes('officer')).map((r) => ({ id: r.id, name: r.display_name }));
}

/** Open transfers of every agency (or one), for the supervisor's view: latest first, overdue ones marked. */
export function openTransfers(db: Db, departmentId?: string) {
  let q = db
    .selectFrom('case_transfers as t')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .select(['t.id', 't.case_id', 't.status', 't.police_organ', 't.step', 't.step_due_at', 't.overdue_at'])
    .select(['t.overdue_steps', 't.reported_at', 'c.case_number', 'c.title', 'd.name as agency'])
    .where('t.status', 'not in', ['refused', 'returned', 'handed_over']);
  if (departmentId) q = q.where('t.department_id', '=', departmentId);
  return q.orderBy('t.reported_at', 'desc').limit(200).execute();
}
