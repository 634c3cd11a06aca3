import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import {
  OPTIONAL_POINTS,
  ownPointKey,
  type PointListConfig,
  REVIEW_POINTS,
  type ReviewPoint,
  resolvePoints,
} from './review-points.js';
import type { CaseRow } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export const MAX_OWN_POINTS = 20;
export const MAX_LABEL_LENGTH = 60;

/** A department's configured lists: '' is the department's own, other keys are catalogue item codes. */
export async function pointListsOf(db: Db, departmentId: string): Promise<Map<string, PointListConfig>> {
  const rows = await db
    .selectFrom('review_point_lists')
    .select(['item_code', 'points', 'omitted'])
    .where('department_id', '=', departmentId)
    .orderBy('item_code')
    .execute();
  return new Map(rows.map((r) => [r.item_code, { points: r.points, omitted: r.omitted }]));
}

/** The points a department's case under `itemCode` (null: no catalogue item) is reviewed against. */
export async function pointsFor(db: Db, departmentId: string, itemCode: string | null): Promise<ReviewPoint[]> {
  const lists = await pointListsOf(db, departmentId);
  return resolvePoints(lists.get(''), itemCode ? lists.get(itemCode) : null);
}

/** The catalogue item a case was found major under, if any (its code, from the case's snapshot of the item). */
export function itemCodeOf(c: Pick<CaseRow, 'catalogue_item'>): string | null {
  const code = (c.catalogue_item as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code ? code : null;
}

export function pointsForCase(db: Db, c: Pick<CaseRow, 'department_id' | 'catalogue_item'>) {
  return pointsFor(db, c.department_id, itemCodeOf(c));
}

const invalid = (message: string, field: string) => new AppError(400, 'VALIDATION_FAILED', message, { field });

/**
 * Checks and keys what the legal admin wrote: labels (one point each, not blank, not a default's label, not
 * twice), and omissions only of the points the law leaves to the department (the 118号 points cannot go).
 */
export function pointListFrom(labels: string[], omitted: string[]): PointListConfig {
  const defaults = new Set<string>(REVIEW_POINTS.map((p) => p.label));
  const seen = new Set<string>();
  const points: ReviewPoint[] = [];
  for (const raw of labels) {
    const label = raw.trim();
    if (!label) continue;
    if (label.length > MAX_LABEL_LENGTH)
      throw invalid(`审核要点“${label}”过长（最多 ${MAX_LABEL_LENGTH} 字）`, 'points');
    if (defaults.has(label)) throw invalid(`“${label}”已是默认审核要点，无需重复添加`, 'points');
    if (seen.has(label)) throw invalid(`审核要点“${label}”重复`, 'points');
    seen.add(label);
    points.push({ key: ownPointKey(label), label });
  }
  if (points.length > MAX_OWN_POINTS) throw invalid(`本机关自设审核要点最多 ${MAX_OWN_POINTS} 项`, 'points');
  for (const key of omitted) {
    if (!OPTIONAL_POINTS.includes(key)) {
      const label = REVIEW_POINTS.find((p) => p.key === key)?.label ?? key;
      throw invalid(`“${label}”是国办发〔2018〕118号规定的审核内容，不能设为不适用`, 'omitted');
    }
  }
  return { points, omitted: [...new Set(omitted)] };
}

/**
 * Saves a department's (itemCode '') or a catalogue item's list, an empty item list being removed, and keeps the
 * change with who made it, in one transaction.
 */
export async function savePointList(
  db: Kysely<DB>,
  departmentId: string,
  itemCode: string,
  list: PointListConfig,
  actorId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('review_point_list_changes')
      .values({
        department_id: departmentId,
        item_code: itemCode,
        points: JSON.stringify(list.points),
        omitted: JSON.stringify(list.omitted),
        changed_by: actorId,
      })
      .execute();
    if (itemCode && list.points.length === 0 && list.omitted.length === 0) {
      await trx
        .deleteFrom('review_point_lists')
        .where('department_id', '=', departmentId)
        .where('item_code', '=', itemCode)
        .execute();
      return;
    }
    const values = {
      points: JSON.stringify(list.points),
      omitted: JSON.stringify(list.omitted),
      updated_by: actorId,
      updated_at: new Date(),
    };
    await trx
      .insertInto('review_point_lists')
      .values({ department_id: departmentId, item_code: itemCode, ...values })
      .onConflict((oc) => oc.columns(['department_id', 'item_code']).doUpdateSet(values))
      .execute();
  });
}

export interface PointListChange {
  itemCode: string;
  points: { key: string; label: string }[];
  omitted: string[];
  changedBy: string;
  changedAt: Date;
}

/** The department's latest changes of its lists, newest first, with the changer's name. */
export async function pointListChanges(db: Db, departmentId: string, limit = 50): Promise<PointListChange[]> {
  const rows = await db
    .selectFrom('review_point_list_changes as c')
    .innerJoin('users as u', 'u.id', 'c.changed_by')
    .select(['c.item_code', 'c.points', 'c.omitted', 'u.display_name', 'c.changed_at'])
    .where('c.department_id', '=', departmentId)
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    itemCode: r.item_code,
    points: r.points,
    omitted: r.omitted,
    changedBy: r.display_name,
    changedAt: r.changed_at,
  }));
}
