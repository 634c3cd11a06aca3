import { type ColumnType, sql } from 'kysely';
import type { Database } from '../../database/connect.js';

/** A form's values as the browser posted them: field name → value or repeated values. */
export type FormValues = Record<string, string | string[]>;

export interface WorkbenchDraftsTable {
  user_id: string;
  form_key: string;
  data: ColumnType<FormValues, string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** The drafts table belongs to the workbench alone, so it is typed here rather than in the shared DB. */
const drafts = (db: Database) => db.withTables<{ workbench_drafts: WorkbenchDraftsTable }>();

export type DraftKey = `task:${string}` | 'packet:new';

const MAX_VALUE_LENGTH = 20_000;

/** Keeps only plain form values (no CSRF token, nothing but strings) so a draft is never more than a form. */
export function draftValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf' || k.length > 100) continue;
    if (typeof v === 'string') out[k] = v.slice(0, MAX_VALUE_LENGTH);
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').map((x) => x.slice(0, MAX_VALUE_LENGTH));
  }
  return out;
}

export async function loadDraft(db: Database, userId: string, key: DraftKey) {
  const row = await drafts(db)
    .selectFrom('workbench_drafts')
    .select(['data', 'updated_at'])
    .where('user_id', '=', userId)
    .where('form_key', '=', key)
    .executeTakeFirst();
  return row ? { values: row.data, savedAt: row.updated_at } : null;
}

export async function saveDraft(db: Database, userId: string, key: DraftKey, values: FormValues): Promise<Date> {
  const row = await drafts(db)
    .insertInto('workbench_drafts')
    .values({ user_id: userId, form_key: key, data: JSON.stringify(values) })
    .onConflict((oc) =>
      oc.columns(['user_id', 'form_key']).doUpdateSet({ data: JSON.stringify(values), updated_at: sql`now()` }),
    )
    .returning('updated_at')
    .executeTakeFirstOrThrow();
  return row.updated_at;
}

export async function deleteDraft(db: Database, userId: string, key: DraftKey): Promise<void> {
  await drafts(db).deleteFrom('workbench_drafts').where('user_id', '=', userId).where('form_key', '=', key).execute();
}
