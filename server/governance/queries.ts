import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { DeploymentRequestsTable, RequestStatus } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Every column but the XML, with the department's and the people's names. */
function withNames(db: Db) {
  return db
    .selectFrom('deployment_requests as r')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('users as s', 's.id', 'r.submitted_by')
    .leftJoin('users as a', 'a.id', 'r.decided_by')
    .select([
      'r.id',
      'r.department_id',
      'r.process_key',
      'r.name',
      'r.sha256',
      'r.base_version',
      'r.change_note',
      'r.catalogue_diff',
      'r.flow_diff',
      'r.status',
      'r.submitted_by',
      'r.submitted_at',
      'r.decided_by',
      'r.decided_at',
      'r.reason',
      'r.definition_id',
      'r.version',
      'd.code as department_code',
      'd.name as department_name',
      's.display_name as submitted_by_name',
      'a.display_name as decided_by_name',
    ]);
}

export type RequestView = Awaited<ReturnType<typeof findRequest>> & {};

export function findRequest(db: Db, id: string) {
  return withNames(db).where('r.id', '=', id).executeTakeFirst();
}

export function findRequestXml(db: Db, id: string) {
  return db.selectFrom('deployment_requests').select('xml').where('id', '=', id).executeTakeFirst();
}

export function findRequestRow(db: Db, id: string) {
  return db.selectFrom('deployment_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks a request until the transaction ends, so that two approvals of it cannot both deploy. */
export function lockRequest(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('deployment_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findPending(db: Db, departmentId: string, processKey: string) {
  return db
    .selectFrom('deployment_requests')
    .select(['id'])
    .where('department_id', '=', departmentId)
    .where('process_key', '=', processKey)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export function insertRequest(db: Db, values: Insertable<DeploymentRequestsTable>) {
  return db.insertInto('deployment_requests').values(values).returning('id').executeTakeFirstOrThrow();
}

export function decide(
  trx: Transaction<DB>,
  id: string,
  change: {
    status: RequestStatus;
    decidedBy: string;
    at: Date;
    reason?: string | null;
    definitionId?: string | null;
    version?: number | null;
  },
) {
  return trx
    .updateTable('deployment_requests')
    .set({
      status: change.status,
      decided_by: change.decidedBy,
      decided_at: change.at,
      reason: change.reason ?? null,
      definition_id: change.definitionId ?? null,
      version: change.version ?? null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export interface ListFilter {
  departmentId?: string;
  statuses?: RequestStatus[];
  limit: number;
}

/** Requests newest first: pending ones of a department for its legal unit, recent changes for supervisors. */
export function listRequests(db: Db, filter: ListFilter) {
  let query = withNames(db);
  if (filter.departmentId) query = query.where('r.department_id', '=', filter.departmentId);
  if (filter.statuses) query = query.where('r.status', 'in', filter.statuses);
  return query.orderBy('r.submitted_at', 'desc').orderBy('r.id').limit(filter.limit).execute();
}
