import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

/*
 * What other capabilities read of documents: issued documents (records: verification, signatures, archives)
 * and departments' document-number abbreviations (workbench: the staffing tables). Apart from
 * service.ts, which imports records to sign documents: records calls these without an import cycle.
 */

type Db = Kysely<DB> | Transaction<DB>;

/** A case's documents with their files (to hash them afresh), in the order they were issued. */
export function documentFilesOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('documents')
    .select(['id', 'kind', 'number', 'file_name', 'sm3', 'content'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

/** Some documents with their files; ids that name no document are left out. */
export function documentFilesByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('documents')
    .select(['id', 'case_id', 'kind', 'number', 'file_name', 'sm3', 'content'])
    .where('id', 'in', ids)
    .execute();
}

/** The documents of some cases without their files, in the order they were issued. */
export function documentSummariesOfCases(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('documents')
    .select(['id', 'case_id', 'kind', 'number', 'sm3', 'size', 'created_at'])
    .where('case_id', 'in', caseIds)
    .orderBy('created_at')
    .execute();
}

/** The abbreviation each department's document numbers start with (null: its code), for every or one department. */
export async function documentAbbreviations(db: Db, departmentId?: string): Promise<Map<string, string | null>> {
  let query = db.selectFrom('departments').select(['id', sql<string | null>`document_abbr`.as('document_abbr')]);
  if (departmentId) query = query.where('id', '=', departmentId);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.id, r.document_abbr]));
}
