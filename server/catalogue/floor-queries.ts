import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../database/schema.js';
import type { ReviewFloorItemsTable } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function listFloorItems(db: Db) {
  return db.selectFrom('review_floor_items').selectAll().orderBy('sort_order').orderBy('code').execute();
}

export function findFloorItem(db: Db, code: string) {
  return db.selectFrom('review_floor_items').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function nextFloorSortOrder(db: Db): Promise<number> {
  const row = await db
    .selectFrom('review_floor_items')
    .select((eb) => eb.fn.max('sort_order').as('max'))
    .executeTakeFirst();
  return (Number(row?.max ?? 0) || 0) + 10;
}

export function insertFloorItem(db: Db, values: Insertable<ReviewFloorItemsTable>) {
  return db
    .insertInto('review_floor_items')
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
}

export function updateFloorItem(db: Db, code: string, values: Updateable<ReviewFloorItemsTable>) {
  return db.updateTable('review_floor_items').set(values).where('code', '=', code).executeTakeFirst();
}

export function deleteFloorItem(db: Db, code: string) {
  return db.deleteFrom('review_floor_items').where('code', '=', code).where('statutory', '=', false).executeTakeFirst();
}
