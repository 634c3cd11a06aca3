import type { Kysely, Transaction } from 'kysely';
import { checkCatalogueCondition } from '../../workflows/lint/catalogue-conditions.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import * as q from './floor-queries.js';
import type { FloorRow } from './tables.js';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  type CatalogueCategory,
  type CatalogueItem,
  MAX_REVIEW_WORKING_DAYS,
  MIN_REVIEW_WORKING_DAYS,
} from './vocabulary.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The name the matched floor item carries on a case: 全市法制审核底线目录：涉及重大公共利益. */
export const FLOOR_TITLE = '全市法制审核底线目录';

/** What a case under a floor item submits; the floor is the same for every department, so these are generic. */
export const FLOOR_MATERIALS: CatalogueItem['materials'] = [
  { name: '拟作出的行政执法决定书（代拟稿）', required: true },
  { name: '案件调查终结报告', required: true },
  { name: '证据材料目录及证据', required: true },
  { name: '听证笔录及听证报告（经过听证的）', required: false },
];

export interface FloorItem {
  code: string;
  situation: string;
  condition: string;
  categories: CatalogueCategory[];
  reviewWorkingDays: number;
  basis: string | null;
  statutory: boolean;
  updatedAt: Date;
}

const toItem = (r: FloorRow): FloorItem => ({
  code: r.code,
  situation: r.situation,
  condition: r.condition,
  categories: CATEGORIES.filter((c) => r.categories.includes(c)),
  reviewWorkingDays: r.review_working_days,
  basis: r.basis,
  statutory: r.statutory,
  updatedAt: r.updated_at,
});

export async function listFloor(db: Db): Promise<FloorItem[]> {
  return (await q.listFloorItems(db)).map(toItem);
}

/** The floor as catalogue items of one category: what a case of that category is judged against besides its department's catalogue. */
export function floorItemsFor(floor: readonly FloorItem[], category: CatalogueCategory): CatalogueItem[] {
  return floor
    .filter((f) => f.categories.includes(category))
    .map((f) => ({
      code: f.code,
      category,
      categoryLabel: CATEGORY_LABELS[category],
      name: `${FLOOR_TITLE}：${f.situation}`,
      condition: f.condition,
      basis: f.basis,
      reviewWorkingDays: f.reviewWorkingDays,
      materials: FLOOR_MATERIALS,
    }));
}

export interface FloorInput {
  situation?: string;
  condition?: string;
  categories?: CatalogueCategory[];
  reviewWorkingDays?: number;
  basis?: string | null;
}

function invalid(field: string, message: string): never {
  throw new AppError(400, 'VALIDATION_FAILED', message, { field });
}

function checkInput(input: FloorInput) {
  if (input.situation !== undefined && !input.situation.trim()) invalid('situation', '请填写情形');
  if (input.categories !== undefined && input.categories.length === 0) invalid('categories', '请至少选择一个类别');
  const days = input.reviewWorkingDays;
  if (
    days !== undefined &&
    (!Number.isInteger(days) || days < MIN_REVIEW_WORKING_DAYS || days > MAX_REVIEW_WORKING_DAYS)
  ) {
    invalid('reviewWorkingDays', `审核时限为 ${MIN_REVIEW_WORKING_DAYS} 到 ${MAX_REVIEW_WORKING_DAYS} 个工作日`);
  }
  if (input.condition !== undefined) {
    const problem = checkCatalogueCondition(input.condition, { chars: 0 });
    if (problem || input.condition.includes('${'))
      invalid('condition', `适用条件${problem?.problem ?? '不能含有占位符'}`);
  }
}

/**
 * The justice bureau edits the floor. A statutory situation keeps its condition and its four categories (the
 * floor never narrows); its review time limit and legal basis may change.
 */
export async function updateFloorItem(db: Db, actorId: string, code: string, input: FloorInput): Promise<FloorItem> {
  const existing = await q.findFloorItem(db, code);
  if (!existing) throw new AppError(404, 'NOT_FOUND', `底线目录事项 ${code} 不存在`);
  checkInput(input);
  if (existing.statutory) {
    const narrowing =
      (input.condition !== undefined && input.condition.trim() !== existing.condition) ||
      (input.situation !== undefined && input.situation.trim() !== existing.situation) ||
      (input.categories !== undefined && CATEGORIES.some((c) => !input.categories!.includes(c)));
    if (narrowing) {
      throw new AppError(
        409,
        'FLOOR_STATUTORY',
        `“${existing.situation}”是法定情形（行政处罚法第五十八条、国办发〔2018〕118号），适用于全部四类执法决定，其情形和条件不能修改，只能调整审核时限和依据`,
      );
    }
  }
  await q.updateFloorItem(db, code, {
    ...(input.situation !== undefined && { situation: input.situation.trim() }),
    ...(input.condition !== undefined && { condition: input.condition.trim() }),
    ...(input.categories !== undefined && { categories: input.categories }),
    ...(input.reviewWorkingDays !== undefined && { review_working_days: input.reviewWorkingDays }),
    ...(input.basis !== undefined && { basis: input.basis?.trim() || null }),
    updated_at: new Date(),
    updated_by: actorId,
  });
  return toItem((await q.findFloorItem(db, code))!);
}

/** Adds a situation to the floor (the justice bureau may raise it, for every department at once). */
export async function addFloorItem(
  db: Db,
  actorId: string,
  input: Required<Pick<FloorInput, 'situation' | 'condition' | 'categories' | 'reviewWorkingDays'>> & {
    code: string;
    basis?: string | null;
  },
): Promise<FloorItem> {
  checkInput(input);
  const inserted = await q.insertFloorItem(db, {
    code: input.code,
    situation: input.situation.trim(),
    condition: input.condition.trim(),
    categories: input.categories,
    review_working_days: input.reviewWorkingDays,
    basis: input.basis?.trim() || null,
    statutory: false,
    sort_order: await q.nextFloorSortOrder(db),
    updated_by: actorId,
  });
  if (inserted.numInsertedOrUpdatedRows === 0n) {
    throw new AppError(409, 'FLOOR_CODE_TAKEN', `底线目录事项编号 ${input.code} 已存在`);
  }
  return toItem((await q.findFloorItem(db, input.code))!);
}

export async function removeFloorItem(db: Db, code: string): Promise<void> {
  const existing = await q.findFloorItem(db, code);
  if (!existing) throw new AppError(404, 'NOT_FOUND', `底线目录事项 ${code} 不存在`);
  if (existing.statutory) {
    throw new AppError(409, 'FLOOR_STATUTORY', `“${existing.situation}”是法定情形，不能从全市法制审核底线目录中删除`);
  }
  await q.deleteFloorItem(db, code);
}
