import type { CatalogueItem } from '../../workflows/lint/vocabulary.js';
import type { CatalogueDiff, FieldChange, ItemRef } from './diff-types.js';

const ref = (item: CatalogueItem): ItemRef => ({ code: item.code, name: item.name, categoryLabel: item.categoryLabel });

const number = new Intl.NumberFormat('zh-CN');
const COMPARATORS: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=' };

/**
 * The amount thresholds (金额门槛) a condition sets, in words: `amount >= 50000` reads `≥ 50,000 元`. The
 * condition itself is shown too; this line is what a reader looks for when a threshold moves.
 */
export function amountThresholds(condition: string): string {
  const found = [...condition.matchAll(/\bamount\s*(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)/g)].map(
    (m) => `${COMPARATORS[m[1]]} ${number.format(Number(m[2]))} 元`,
  );
  return found.length > 0 ? found.join('，') : '无';
}

const materials = (item: CatalogueItem) =>
  item.materials.length === 0
    ? '无'
    : item.materials.map((m) => `${m.name}（${m.required ? '必交' : '选交'}）`).join('；');

/** The fields compared, in the order the catalogue page lists them. */
const FIELDS: { field: string; label: string; read: (item: CatalogueItem) => string }[] = [
  { field: 'name', label: '事项名称', read: (i) => i.name },
  { field: 'category', label: '类别', read: (i) => i.categoryLabel },
  { field: 'amountThreshold', label: '金额门槛', read: (i) => amountThresholds(i.condition) },
  { field: 'condition', label: '适用条件', read: (i) => i.condition },
  { field: 'basis', label: '法律依据', read: (i) => i.basis ?? '无' },
  { field: 'reviewWorkingDays', label: '审核时限', read: (i) => `${i.reviewWorkingDays} 个工作日` },
  { field: 'materials', label: '送审材料', read: materials },
];

/** Items added, removed and changed (field by field) from one catalogue to the next, matched by code. */
export function diffCatalogues(before: CatalogueItem[], after: CatalogueItem[]): CatalogueDiff {
  const old = new Map(before.map((i) => [i.code, i]));
  const next = new Set(after.map((i) => i.code));
  const changed: CatalogueDiff['changed'] = [];
  for (const item of after) {
    const prior = old.get(item.code);
    if (!prior) continue;
    const fields: FieldChange[] = FIELDS.flatMap(({ field, label, read }) => {
      const [b, a] = [read(prior), read(item)];
      return b === a ? [] : [{ field, label, before: b, after: a }];
    });
    if (fields.length > 0) changed.push({ ...ref(item), fields });
  }
  return {
    added: after.filter((i) => !old.has(i.code)).map(ref),
    removed: before.filter((i) => !next.has(i.code)).map(ref),
    changed,
  };
}

export const isEmptyDiff = (d: { added: unknown[]; removed: unknown[]; changed: unknown[] }) =>
  d.added.length + d.removed.length + d.changed.length === 0;
