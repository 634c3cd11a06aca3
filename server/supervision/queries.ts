import { type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../database/schema.js';
import type { SupervisionFilesTable, SupervisionItemsTable, SupervisionStatus } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function findItem(db: Db, id: string, lock = false) {
  const q = db.selectFrom('supervision_items').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function lockItem(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('supervision_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** The agency (and the case) an item is addressed to: a case names its agency; otherwise an agency by id. */
export async function targetOf(db: Db, input: { caseId?: string; departmentId?: string }) {
  if (input.caseId) {
    const c = await db
      .selectFrom('cases as c')
      .innerJoin('departments as d', 'd.id', 'c.department_id')
      .select(['c.id', 'c.case_number', 'c.title', 'd.id as department_id', 'd.name'])
      .select(sql<string | null>`c.packet->'party'->>'name'`.as('party'))
      .where('c.id', '=', input.caseId)
      .executeTakeFirst();
    if (!c || (input.departmentId && input.departmentId !== c.department_id)) return null;
    return {
      agency: { id: c.department_id, name: c.name },
      case: { id: c.id, case_number: c.case_number, title: c.title, party: c.party ?? '' },
    };
  }
  if (!input.departmentId) return null;
  const d = await db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', '=', input.departmentId)
    .where('kind', '=', 'agency')
    .executeTakeFirst();
  return d ? { agency: d, case: null } : null;
}

export async function caseForRecord(db: Db, caseId: string) {
  return db.selectFrom('cases').select(['id', 'instance_id']).where('id', '=', caseId).executeTakeFirst();
}

export async function userName(db: Db, id: string) {
  const u = await db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirstOrThrow();
  return u.display_name;
}

/** Items whose due date was counted Monday–Friday for lack of a year's holiday notice, oldest first. */
export function provisionalItems(db: Db) {
  return db
    .selectFrom('supervision_items')
    .select('id')
    .where('due_provisional', '=', true)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function insertItem(trx: Transaction<DB>, v: Omit<Insertable<SupervisionItemsTable>, 'answer_document_ids'>) {
  return trx
    .insertInto('supervision_items')
    .values({ ...v, answer_document_ids: '[]' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function setDocument(trx: Transaction<DB>, id: string, documentId: string) {
  return updateItem(trx, id, { document_id: documentId });
}

export function updateItem(trx: Transaction<DB>, id: string, set: Updateable<SupervisionItemsTable>) {
  return trx.updateTable('supervision_items').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The item's files among `ids` that no earlier answer took with it. */
export async function unusedFiles(trx: Transaction<DB>, itemId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('supervision_files as f')
    .selectAll('f')
    .where('f.item_id', '=', itemId)
    .where('f.id', 'in', ids)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('supervision_answers as a')
            .select('a.id')
            .whereRef('a.item_id', '=', 'f.item_id')
            .where(sql<boolean>`a.file_ids ? f.id::text`),
        ),
      ),
    )
    .orderBy('f.uploaded_at')
    .execute();
}

export async function insertAnswer(
  trx: Transaction<DB>,
  v: { itemId: string; answer: string; files: { id: string }[]; by: string; at: Date },
) {
  const last = await trx
    .selectFrom('supervision_answers')
    .select(sql<number>`coalesce(max(round), 0)::int`.as('n'))
    .where('item_id', '=', v.itemId)
    .executeTakeFirstOrThrow();
  const round = last.n + 1;
  await trx
    .insertInto('supervision_answers')
    .values({
      item_id: v.itemId,
      round,
      answer: v.answer,
      file_ids: JSON.stringify(v.files.map((f) => f.id)),
      answered_by: v.by,
      answered_at: v.at,
    })
    .execute();
  return round;
}

export async function reviewLatestAnswer(
  trx: Transaction<DB>,
  itemId: string,
  v: { verdict: 'accepted' | 'returned'; note: string | null; by: string; at: Date },
) {
  const r = await trx
    .updateTable('supervision_answers')
    .set({ verdict: v.verdict, verdict_note: v.note, reviewed_by: v.by, reviewed_at: v.at })
    .where('item_id', '=', itemId)
    .where('verdict', 'is', null)
    .returning('round')
    .executeTakeFirstOrThrow();
  return r.round;
}

export function insertFile(db: Db, v: Insertable<SupervisionFilesTable>) {
  return db.insertInto('supervision_files').values(v).returningAll().executeTakeFirstOrThrow();
}

export function filesOf(db: Db, itemId: string) {
  return db
    .selectFrom('supervision_files')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
}

export function answersOf(db: Db, itemId: string) {
  return db
    .selectFrom('supervision_answers as a')
    .innerJoin('users as u', 'u.id', 'a.answered_by')
    .leftJoin('users as r', 'r.id', 'a.reviewed_by')
    .selectAll('a')
    .select(['u.display_name as answered_by_name', 'r.display_name as reviewed_by_name'])
    .where('a.item_id', '=', itemId)
    .orderBy('a.round')
    .execute();
}

export interface ListFilter {
  itemId?: string;
  departmentId?: string;
  caseId?: string;
  state?: 'open' | 'overdue' | 'answered' | 'returned' | 'accepted';
  now: Date;
  limit: number;
  offset: number;
}

/** Items with their agency's name, case number and document number, newest first. */
export function listItems(db: Db, f: ListFilter) {
  let q = db
    .selectFrom('supervision_items as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .leftJoin('cases as c', 'c.id', 's.case_id')
    .leftJoin('documents as doc', 'doc.id', 's.document_id')
    .selectAll('s')
    .select(['d.name as agency_name', 'c.case_number', 'c.title as case_title', 'doc.number as document_number']);
  if (f.itemId) q = q.where('s.id', '=', f.itemId);
  if (f.departmentId) q = q.where('s.department_id', '=', f.departmentId);
  if (f.caseId) q = q.where('s.case_id', '=', f.caseId);
  const unanswered: SupervisionStatus[] = ['open', 'returned'];
  if (f.state === 'open') q = q.where('s.status', 'in', unanswered);
  if (f.state === 'answered' || f.state === 'returned' || f.state === 'accepted') q = q.where('s.status', '=', f.state);
  if (f.state === 'overdue') {
    q = q.where((eb) =>
      eb.or([
        eb('s.overdue_at', 'is not', null),
        eb.and([eb('s.status', 'in', unanswered), eb('s.due_at', '<', f.now)]),
        eb('s.answered_at', '>', eb.ref('s.due_at')),
      ]),
    );
  }
  return q.orderBy('s.created_at', 'desc').orderBy('s.id').limit(f.limit).offset(f.offset).execute();
}

export type ListedItem = Awaited<ReturnType<typeof listItems>>[number];
