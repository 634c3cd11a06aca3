import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../database/schema.js';
import type { AgencyPowersTable, AgencyRemediesTable, ChangeAction } from './tables.js';
import type { PowerCategory, ProfileSection } from './vocabulary.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The three list sections share their item columns (id, department, order, stamp); these queries serve all three. */
export type ItemTable = 'agency_powers' | 'agency_service_guides' | 'agency_inspection_items';
export type ItemRow<T extends ItemTable> = Selectable<DB[T]>;

export function listItems<T extends ItemTable>(db: Db, table: T, departmentId: string): Promise<ItemRow<T>[]> {
  return db
    .selectFrom(table as ItemTable)
    .selectAll()
    .where('department_id', '=', departmentId)
    .orderBy('sort_order')
    .orderBy('created_at')
    .orderBy('id')
    .execute() as Promise<ItemRow<T>[]>;
}

export function findItem<T extends ItemTable>(db: Db, table: T, departmentId: string, id: string) {
  return db
    .selectFrom(table as ItemTable)
    .selectAll()
    .where('department_id', '=', departmentId)
    .where('id', '=', id)
    .executeTakeFirst() as Promise<ItemRow<T> | undefined>;
}

export function countItems(db: Db, table: ItemTable, departmentId: string) {
  return db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('department_id', '=', departmentId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** The next free place at the end of the list. */
export async function nextSortOrder(db: Db, table: ItemTable, departmentId: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('sort_order').as('max'))
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return Math.min(999999, (r?.max ?? 0) + 10);
}

export function insertItem<T extends ItemTable>(db: Db, table: T, values: Insertable<DB[T]>) {
  return db
    .insertInto(table as ItemTable)
    .values(values as Insertable<DB[ItemTable]>)
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<ItemRow<T>>;
}

export function updateItem<T extends ItemTable>(
  db: Db,
  table: T,
  departmentId: string,
  id: string,
  values: Updateable<DB[T]>,
) {
  return db
    .updateTable(table as ItemTable)
    .set(values as Updateable<DB[ItemTable]>)
    .where('department_id', '=', departmentId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst() as Promise<ItemRow<T> | undefined>;
}

export function deleteItem(db: Db, table: ItemTable, departmentId: string, id: string) {
  return db
    .deleteFrom(table)
    .where('department_id', '=', departmentId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Powers of a department filtered by category and text (code or name), in list order, one page. */
type PowerFilter = { q?: string; category?: PowerCategory };

/** The powers of a department that a filter finds: by category, and code or name containing the text. */
function filteredPowers(db: Db, departmentId: string, filter: PowerFilter) {
  let query = db.selectFrom('agency_powers').where('department_id', '=', departmentId);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('code', 'ilike', like), eb('name', 'ilike', like)]));
  }
  return query;
}

export function searchPowers(db: Db, departmentId: string, filter: PowerFilter & { limit: number; offset: number }) {
  return filteredPowers(db, departmentId, filter)
    .selectAll()
    .orderBy('sort_order')
    .orderBy('code')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

/** A section's items as id and natural key (the given column), in list order. */
export function itemKeys(db: Db, table: ItemTable, keyColumn: string, departmentId: string) {
  return db
    .selectFrom(table)
    .select(['id', sql<string>`${sql.ref(keyColumn)}`.as('key')])
    .where('department_id', '=', departmentId)
    .orderBy('sort_order')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Imported powers: new codes are added, known codes overwritten, in one statement per chunk. */
export async function upsertPowers(trx: Transaction<DB>, rows: Insertable<AgencyPowersTable>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('agency_powers')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['department_id', 'code']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          category: eb.ref('excluded.category'),
          legal_basis: eb.ref('excluded.legal_basis'),
          implementing_unit: eb.ref('excluded.implementing_unit'),
          sort_order: eb.ref('excluded.sort_order'),
          updated_at: eb.ref('excluded.updated_at'),
          updated_by: eb.ref('excluded.updated_by'),
        })),
      )
      .execute();
  }
}

/** Deletes the department's items of the section except the given ones; how many it deleted. */
export function deleteItemsExcept(trx: Transaction<DB>, table: ItemTable, departmentId: string, keep: string[]) {
  let query = trx.deleteFrom(table).where('department_id', '=', departmentId);
  if (keep.length) query = query.where('id', 'not in', keep);
  return query.executeTakeFirst().then((r) => Number(r.numDeletedRows));
}

/** Imported rows of a section without a unique key, added in one multi-row insert per chunk. */
export async function insertItems<T extends ItemTable>(trx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto(table as ItemTable)
      .values(rows.slice(i, i + 500) as Insertable<DB[ItemTable]>[])
      .execute();
  }
}

/**
 * Imported rows matched to existing items by id, all updated in one `UPDATE … FROM (VALUES …)` per chunk.
 * Every row sets the same columns (text, and the integer sort_order); the stamp is the import's.
 */
export async function updateItemsById(
  trx: Transaction<DB>,
  table: ItemTable,
  departmentId: string,
  rows: { id: string; columns: Record<string, unknown> }[],
  stamp: { at: Date; by: string },
) {
  if (rows.length === 0) return;
  const names = Object.keys(rows[0].columns);
  const typed = (name: string, v: unknown) => (name === 'sort_order' ? sql`${v}::int` : sql`${v}::text`);
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows
      .slice(i, i + 500)
      .map((r) => sql`(${sql.join([sql`${r.id}::uuid`, ...names.map((n) => typed(n, r.columns[n]))])})`);
    await sql`UPDATE ${sql.table(table)} AS t
      SET ${sql.join(names.map((n) => sql`${sql.id(n)} = v.${sql.id(n)}`))},
        updated_at = ${stamp.at}, updated_by = ${stamp.by}
      FROM (VALUES ${sql.join(values)}) AS v(${sql.join(['id', ...names].map((n) => sql.id(n)))})
      WHERE t.id = v.id AND t.department_id = ${departmentId}`.execute(trx);
  }
}

export function findRemedies(db: Db, departmentId: string) {
  return db.selectFrom('agency_remedies').selectAll().where('department_id', '=', departmentId).executeTakeFirst();
}

export function upsertRemedies(db: Db, values: Insertable<AgencyRemediesTable>) {
  const { department_id: _key, created_at: _created, ...update } = values;
  return db
    .insertInto('agency_remedies')
    .values(values)
    .onConflict((oc) => oc.column('department_id').doUpdateSet(update))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function recordChange(
  db: Db,
  change: {
    departmentId: string;
    section: ProfileSection;
    itemId: string | null;
    action: ChangeAction;
    summary: string;
    actorId: string | null;
    at: Date;
  },
) {
  return db
    .insertInto('agency_profile_changes')
    .values({
      department_id: change.departmentId,
      section: change.section,
      item_id: change.itemId,
      action: change.action,
      summary: [...change.summary].slice(0, 300).join(''),
      actor_id: change.actorId,
      at: change.at,
    })
    .execute();
}

export function recentChanges(db: Db, departmentId: string, limit: number) {
  return db
    .selectFrom('agency_profile_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_id')
    .select(['c.id', 'c.section', 'c.action', 'c.summary', 'c.at', 'u.display_name as actorName'])
    .where('c.department_id', '=', departmentId)
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

/** How many items each list section has, in one round trip. */
export function sectionCounts(db: Db, departmentId: string) {
  const count = (table: ItemTable) =>
    sql<number>`(SELECT count(*)::int FROM ${sql.table(table)} WHERE department_id = ${departmentId})`;
  return db
    .selectNoFrom([
      count('agency_powers').as('powers'),
      count('agency_service_guides').as('service_guides'),
      count('agency_inspection_items').as('inspection_items'),
      sql<boolean>`EXISTS (SELECT 1 FROM agency_remedies WHERE department_id = ${departmentId})`.as('remedies'),
    ])
    .executeTakeFirstOrThrow();
}

/** Display names of the given users (who last changed what), in one query. */
export async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** How many powers a department lists in each category. */
export function powerCategoryCounts(db: Db, departmentId: string) {
  return db
    .selectFrom('agency_powers')
    .select(['category', (eb) => eb.fn.countAll<string>().as('n')])
    .where('department_id', '=', departmentId)
    .groupBy('category')
    .execute();
}

/** One page of the powers a filter finds, and how many it finds in all (for the pager). */
export async function pagePowers(
  db: Db,
  departmentId: string,
  filter: PowerFilter & { limit: number; offset: number },
) {
  const [rows, total] = await Promise.all([
    searchPowers(db, departmentId, filter),
    countPowers(db, departmentId, filter),
  ]);
  return { rows, total };
}

function countPowers(db: Db, departmentId: string, filter: PowerFilter) {
  return filteredPowers(db, departmentId, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}
