import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

/*
 * What other capabilities (records, evidence) read of cases and their attachments. Apart from service.ts, which
 * imports records to append to a case's chain: records calls these without an import cycle.
 */

// The case lists, pool and conflict reads the workbench and other capabilities show.
export { countConflicts, listConflicts } from './conflict-queries.js';
export {
  countPoolMembers,
  inPool,
  poolCandidates,
  poolMembers,
  poolMembersByDepartment,
  poolSettings,
  reviewerLoad,
} from './pool-queries.js';
export { findCase, findCaseByInstance, latestOpinion, listAttachments, listCases, listRounds } from './queries.js';
export {
  countOpenCases,
  filteredTaskStates,
  OPEN_CASE_STATUSES,
  openCasesByStatus,
  supervisedCases,
} from './supervision-queries.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The review case each process instance belongs to; pass the caller's transaction to read inside it. */
export function casesOfInstances(db: Db, instanceIds: string[]) {
  return db.selectFrom('cases').select(['id', 'instance_id']).where('instance_id', 'in', instanceIds).execute();
}

/**
 * Every case about one party (ID number or unified social credit code), oldest first, with its department's name;
 * all departments when `departmentId` is null.
 */
export function casesOfParty(db: Db, idCode: string, departmentId: string | null) {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.case_number',
      'c.title',
      'c.category',
      'c.status',
      'c.department_id',
      'c.instance_id',
      'd.name as department_name',
      'c.created_at',
      sql<string>`c.packet->'party'->>'name'`.as('party_name'),
    ])
    .where(sql<string>`c.packet->'party'->>'idCode'`, '=', idCode);
  if (departmentId) query = query.where('c.department_id', '=', departmentId);
  return query.orderBy('c.created_at').execute();
}

/** Where an attachment's file is stored, and the SM3 it was uploaded with. */
export function attachmentStorageKey(db: Db, attachmentId: string) {
  return db
    .selectFrom('case_attachments')
    .select(['storage_key', 'sm3'])
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}

/** The attachments of some cases in upload order, with where each file is stored. */
export function attachmentsOfCases(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_attachments')
    .select(['id', 'case_id', 'file_name', 'media_type', 'size', 'sm3', 'storage_key', 'uploaded_at'])
    .where('case_id', 'in', caseIds)
    .orderBy('uploaded_at')
    .execute();
}

/**
 * The cases with this number whose party has this ID number or credit code (the party's progress query): the
 * number and the code are matched in one query, so a wrong number and a wrong code cost the same.
 */
export function casesOfNumberAndParty(db: Db, caseNumber: string, idCode: string) {
  return db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.id', 'c.department_id', 'c.case_number', 'c.title', 'c.category', 'c.status', 'c.instance_id'])
    .select('c.created_at')
    .select(['d.name as department_name', sql<string | null>`c.decision->>'date'`.as('decision_date')])
    .where('c.case_number', '=', caseNumber)
    .where(sql<string>`upper(c.packet->'party'->>'idCode')`, '=', idCode.toUpperCase())
    .orderBy('c.created_at')
    .execute();
}
