import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { findLatestVersion } from './queries.js';

/** The newest deployed version of a process in a department (new instances start on it), if any. */
export function findLatestDefinition(db: Kysely<DB> | Transaction<DB>, departmentId: string, processKey: string) {
  return findLatestVersion(db, departmentId, processKey);
}
