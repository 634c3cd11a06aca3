import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { WorkflowDefinitionsTable } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Every column but the XML, which only the XML download and the compiler need. */
const summaryColumns = [
  'id',
  'department_id',
  'process_key',
  'version',
  'name',
  'sha256',
  'deployed_by',
  'deployed_at',
  'change_note',
] as const;

export function findDefinitionById(db: Db, id: string) {
  return db.selectFrom('workflow_definitions').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Serialises deploys of one process key in one department until the transaction ends, so that two concurrent
 * deploys read different "latest" versions.
 */
export async function lockProcessKey(trx: Transaction<DB>, departmentId: string, processKey: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${departmentId} || ${processKey}))`.execute(trx);
}

export function findLatestVersion(db: Db, departmentId: string, processKey: string) {
  return db
    .selectFrom('workflow_definitions')
    .select(summaryColumns)
    .where('department_id', '=', departmentId)
    .where('process_key', '=', processKey)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertDefinition(trx: Transaction<DB>, values: Insertable<WorkflowDefinitionsTable>) {
  return trx.insertInto('workflow_definitions').values(values).returning(summaryColumns).executeTakeFirstOrThrow();
}

/** The latest version of each process key, with how many versions it has, optionally in one department. */
export function listLatestDefinitions(db: Db, filter: { departmentId?: string }) {
  let query = db
    .selectFrom('workflow_definitions')
    .distinctOn(['department_id', 'process_key'])
    .select(summaryColumns)
    .select(sql<number>`count(*) OVER (PARTITION BY department_id, process_key)::int`.as('version_count'));
  if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId);
  return query.orderBy('department_id').orderBy('process_key').orderBy('version', 'desc').execute();
}

export function listVersions(db: Db, departmentId: string, processKey: string) {
  return db
    .selectFrom('workflow_definitions')
    .select(summaryColumns)
    .where('department_id', '=', departmentId)
    .where('process_key', '=', processKey)
    .orderBy('version', 'desc')
    .execute();
}

export function findVersion(db: Db, departmentId: string, processKey: string, version: number) {
  return db
    .selectFrom('workflow_definitions')
    .selectAll()
    .where('department_id', '=', departmentId)
    .where('process_key', '=', processKey)
    .where('version', '=', version)
    .executeTakeFirst();
}
