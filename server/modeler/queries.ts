import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { WorkflowDraftsTable } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function findDraft(db: Db, departmentId: string, processKey: string) {
  return db
    .selectFrom('workflow_drafts as d')
    .innerJoin('users as u', 'u.id', 'd.saved_by')
    .selectAll('d')
    .select('u.display_name as saved_by_name')
    .where('d.department_id', '=', departmentId)
    .where('d.process_key', '=', processKey)
    .executeTakeFirst();
}

/** The drafts of a department, without their XML. */
export function listDrafts(db: Db, departmentId: string) {
  return db
    .selectFrom('workflow_drafts as d')
    .innerJoin('users as u', 'u.id', 'd.saved_by')
    .select(['d.process_key', 'd.base_version', 'd.revision', 'd.saved_at', 'u.display_name as saved_by_name'])
    .where('d.department_id', '=', departmentId)
    .orderBy('d.process_key')
    .execute();
}

/** Inserts the first draft; null when another save created it first. */
export function insertDraft(db: Db, draft: Insertable<WorkflowDraftsTable>) {
  return db
    .insertInto('workflow_drafts')
    .values(draft)
    .onConflict((oc) => oc.columns(['department_id', 'process_key']).doNothing())
    .returning(['revision', 'saved_at'])
    .executeTakeFirst();
}

/** Replaces a draft if it is still at the expected revision; undefined when it moved on (or is gone). */
export function updateDraft(
  db: Db,
  key: { departmentId: string; processKey: string; expectedRevision: number },
  change: { xml: string; baseVersion: number | null; savedBy: string; savedAt: Date },
) {
  return db
    .updateTable('workflow_drafts')
    .set({
      xml: change.xml,
      base_version: change.baseVersion,
      saved_by: change.savedBy,
      saved_at: change.savedAt,
      revision: key.expectedRevision + 1,
    })
    .where('department_id', '=', key.departmentId)
    .where('process_key', '=', key.processKey)
    .where('revision', '=', key.expectedRevision)
    .returning(['revision', 'saved_at'])
    .executeTakeFirst();
}

export async function deleteDraft(db: Db, departmentId: string, processKey: string): Promise<boolean> {
  const result = await db
    .deleteFrom('workflow_drafts')
    .where('department_id', '=', departmentId)
    .where('process_key', '=', processKey)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function findDiagram(db: Db, definitionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workflow_diagrams')
    .select('svg')
    .where('definition_id', '=', definitionId)
    .executeTakeFirst();
  return row?.svg;
}

export async function saveDiagram(db: Db, definitionId: string, svg: string): Promise<void> {
  await db
    .insertInto('workflow_diagrams')
    .values({ definition_id: definitionId, svg })
    .onConflict((oc) => oc.column('definition_id').doNothing())
    .execute();
}
