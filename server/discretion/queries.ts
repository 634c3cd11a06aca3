import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { BenchmarkItem, BenchmarkItemInput, BenchmarkRange } from './model.js';
import type { DiscretionChangesTable } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

const ITEM_COLUMNS = [
  'id',
  'department_id',
  'code',
  'violation',
  'basis_law',
  'basis_article',
  'sort_order',
  'updated_at',
  'updated_by',
] as const;

type ItemRow = {
  id: string;
  department_id: string;
  code: string;
  violation: string;
  basis_law: string | null;
  basis_article: string | null;
  sort_order: number;
  updated_at: Date;
  updated_by: string | null;
};

function toItem(r: ItemRow, ranges: BenchmarkRange[]): BenchmarkItem {
  return {
    id: r.id,
    departmentId: r.department_id,
    code: r.code,
    violation: r.violation,
    basisLaw: r.basis_law,
    basisArticle: r.basis_article,
    sortOrder: r.sort_order,
    ranges,
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by,
  };
}

async function withRanges(db: Db, rows: ItemRow[]): Promise<BenchmarkItem[]> {
  if (rows.length === 0) return [];
  const ranges = await db
    .selectFrom('discretion_ranges')
    .selectAll()
    .where(
      'item_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const byItem = new Map<string, BenchmarkRange[]>();
  for (const r of ranges) {
    const list = byItem.get(r.item_id) ?? [];
    list.push({
      circumstance: r.circumstance,
      kind: r.kind,
      min: r.min_value === null ? null : Number(r.min_value),
      max: r.max_value === null ? null : Number(r.max_value),
      note: r.note,
    });
    byItem.set(r.item_id, list);
  }
  const order = ['mitigated', 'lighter', 'general', 'heavier', 'exempt'];
  return rows.map((r) =>
    toItem(
      r,
      (byItem.get(r.id) ?? []).sort((a, b) => order.indexOf(a.circumstance) - order.indexOf(b.circumstance)),
    ),
  );
}

/** A department's items in list order (sort order, then code), each with its ranges. */
export async function listItems(db: Db, departmentId: string): Promise<BenchmarkItem[]> {
  const rows = await db
    .selectFrom('discretion_items')
    .select(ITEM_COLUMNS)
    .where('department_id', '=', departmentId)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return withRanges(db, rows);
}

export async function findItem(db: Db, departmentId: string, id: string): Promise<BenchmarkItem | undefined> {
  const row = await db
    .selectFrom('discretion_items')
    .select(ITEM_COLUMNS)
    .where('department_id', '=', departmentId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? (await withRanges(db, [row]))[0] : undefined;
}

export async function codeTaken(db: Db, departmentId: string, code: string, exceptId?: string) {
  let q = db
    .selectFrom('discretion_items')
    .select('id')
    .where('department_id', '=', departmentId)
    .where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function itemCodes(db: Db, departmentId: string): Promise<{ id: string; code: string }[]> {
  return db.selectFrom('discretion_items').select(['id', 'code']).where('department_id', '=', departmentId).execute();
}

export async function nextSortOrder(db: Db, departmentId: string): Promise<number> {
  const r = await db
    .selectFrom('discretion_items')
    .select((eb) => eb.fn.max('sort_order').as('max'))
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return Math.min(999999, Number(r?.max ?? 0) + 10);
}

/** Writes an item's columns and replaces its ranges; inserts it when `id` is not given. Returns its id. */
export async function saveItem(
  trx: Transaction<DB>,
  departmentId: string,
  input: BenchmarkItemInput & { sortOrder: number },
  stamp: { at: Date; by: string },
  id?: string,
): Promise<string> {
  const columns = {
    code: input.code,
    violation: input.violation,
    basis_law: input.basisLaw ?? null,
    basis_article: input.basisArticle ?? null,
    sort_order: input.sortOrder,
    updated_at: stamp.at,
    updated_by: stamp.by,
  };
  let itemId = id;
  if (itemId) {
    await trx
      .updateTable('discretion_items')
      .set(columns)
      .where('id', '=', itemId)
      .where('department_id', '=', departmentId)
      .execute();
    await trx.deleteFrom('discretion_ranges').where('item_id', '=', itemId).execute();
  } else {
    const row = await trx
      .insertInto('discretion_items')
      .values({ ...columns, department_id: departmentId, created_at: stamp.at })
      .returning('id')
      .executeTakeFirstOrThrow();
    itemId = row.id;
  }
  if (input.ranges.length) {
    await trx
      .insertInto('discretion_ranges')
      .values(
        input.ranges.map((r) => ({
          item_id: itemId as string,
          circumstance: r.circumstance,
          kind: r.kind,
          min_value: r.min,
          max_value: r.max,
          note: r.note,
        })),
      )
      .execute();
  }
  return itemId;
}

export async function deleteItem(trx: Transaction<DB>, departmentId: string, id: string) {
  await trx.deleteFrom('discretion_items').where('id', '=', id).where('department_id', '=', departmentId).execute();
}

export async function recordChange(
  trx: Transaction<DB>,
  c: {
    departmentId: string;
    itemId: string | null;
    code: string | null;
    action: DiscretionChangesTable['action'];
    summary: string;
    before?: unknown;
    after?: unknown;
    actorId: string;
    at: Date;
  },
) {
  await trx
    .insertInto('discretion_changes')
    .values({
      department_id: c.departmentId,
      item_id: c.itemId,
      code: c.code,
      action: c.action,
      summary: c.summary,
      before: c.before === undefined ? null : JSON.stringify(c.before),
      after: c.after === undefined ? null : JSON.stringify(c.after),
      actor_id: c.actorId,
      at: c.at,
    })
    .execute();
}

export async function listChanges(db: Db, departmentId: string, limit: number) {
  return db
    .selectFrom('discretion_changes')
    .leftJoin('users', 'users.id', 'discretion_changes.actor_id')
    .select([
      'discretion_changes.id',
      'discretion_changes.item_id as itemId',
      'discretion_changes.code',
      'discretion_changes.action',
      'discretion_changes.summary',
      'discretion_changes.at',
      'users.display_name as actorName',
    ])
    .where('discretion_changes.department_id', '=', departmentId)
    .orderBy('discretion_changes.at', 'desc')
    .orderBy('discretion_changes.id', 'desc')
    .limit(limit)
    .execute();
}
