import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

/** The newest deployed version of a process key in a department: new instances start on it. */
export function findLatestDefinition(db: Kysely<DB> | Transaction<DB>, departmentId: string, processKey: string) {
  return db
    .selectFrom('workflow_definitions')
    .select(['id', 'process_key', 'version', 'name', 'department_id'])
    .where('department_id', '=', departmentId)
    .where('process_key', '=', processKey)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}
