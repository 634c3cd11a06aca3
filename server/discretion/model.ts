import {
  BASE_LABELS,
  CIRCUMSTANCE_LABELS,
  CIRCUMSTANCES,
  type Circumstance,
  RANGE_KIND_LABELS,
  type RangeKind,
} from './vocabulary.js';

/** One circumstance's range: min/max in 元 (fixed) or as multiples (goods_value, illegal_gains); none has neither. */
export interface BenchmarkRange {
  circumstance: Circumstance;
  kind: RangeKind;
  min: number | null;
  max: number | null;
  note: string | null;
}

/** A range as given (API, form, file): the note may be left out. */
export type BenchmarkRangeInput = Omit<BenchmarkRange, 'note'> & { note?: string | null };

export interface BenchmarkItemInput {
  code: string;
  violation: string;
  basisLaw?: string | null;
  basisArticle?: string | null;
  sortOrder?: number;
  ranges: BenchmarkRangeInput[];
}

export interface BenchmarkItem {
  id: string;
  departmentId: string;
  code: string;
  violation: string;
  basisLaw: string | null;
  basisArticle: string | null;
  sortOrder: number;
  ranges: BenchmarkRange[];
  updatedAt: string;
  updatedBy: string | null;
}

/** Field → message in Chinese; a range's fields are `range.<circumstance>`. */
export type ItemErrors = Record<string, string>;

/** Largest amount a benchmark names: 1 亿元 as 元, or 100 times as a multiple. */
const MAX_YUAN = 1e9;
const MAX_MULTIPLE = 100;

// Control characters are dropped (PostgreSQL refuses NUL); line breaks fold to a space in these one-line fields.
const clean = (v: unknown) =>
  typeof v === 'string'
    ? v
        // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim()
    : '';

function text(
  errors: ItemErrors,
  key: string,
  label: string,
  v: unknown,
  max: number,
  required: boolean,
): string | null {
  const s = clean(v);
  if (!s) {
    if (required) errors[key] = `请填写${label}`;
    return null;
  }
  if ([...s].length > max) errors[key] = `${label}不能超过 ${max} 个字`;
  return s;
}

function rangeErrors(r: BenchmarkRange): string | null {
  const label = CIRCUMSTANCE_LABELS[r.circumstance];
  if (r.circumstance === 'exempt') return r.kind === 'none' ? null : '“不予处罚”情节的幅度类型只能是“不予处罚”';
  if (r.kind === 'none') return `${label}情节不能选“不予处罚”幅度（不予处罚请作为单独的情节）`;
  const cap = r.kind === 'fixed' ? MAX_YUAN : MAX_MULTIPLE;
  const unit = r.kind === 'fixed' ? '元' : '倍';
  for (const [v, name] of [
    [r.min, '下限'],
    [r.max, '上限'],
  ] as const) {
    if (v === null) return `${label}情节请填写${name}（${RANGE_KIND_LABELS[r.kind]}）`;
    if (!Number.isFinite(v)) return `${label}情节的${name}应为数字（${RANGE_KIND_LABELS[r.kind]}）`;
    if (v < 0 || v > cap) return `${label}情节的${name}应在 0 至 ${cap} ${unit}之间`;
  }
  if ((r.min ?? 0) > (r.max ?? 0)) return `${label}情节的下限不能大于上限`;
  if (r.kind !== 'fixed' && (r.max ?? 0) === 0) return `${label}情节的${BASE_LABELS[r.kind]}倍数上限应大于 0`;
  return null;
}

/**
 * An item as the API, the form and the CSV import give it, cleaned and checked: every problem by field, with a
 * Chinese message. At least one circumstance; each circumstance at most once.
 */
export function validateItem(input: BenchmarkItemInput): {
  value: BenchmarkItemInput & { ranges: BenchmarkRange[] };
  errors: ItemErrors;
} {
  const errors: ItemErrors = {};
  const code = text(errors, 'code', '编码', input.code, 50, true) ?? '';
  if (code && /\s/.test(code)) errors.code = '编码不能含空格';
  const violation = text(errors, 'violation', '违法行为', input.violation, 300, true) ?? '';
  const basisLaw = text(errors, 'basisLaw', '依据的法律法规', input.basisLaw, 200, false);
  const basisArticle = text(errors, 'basisArticle', '依据的条款', input.basisArticle, 100, false);
  if (basisArticle && !basisLaw) errors.basisLaw = '填写了条款时，请填写依据的法律法规';
  const seen = new Set<Circumstance>();
  const ranges: BenchmarkRange[] = [];
  for (const r of input.ranges) {
    if (seen.has(r.circumstance)) {
      errors[`range.${r.circumstance}`] = `${CIRCUMSTANCE_LABELS[r.circumstance]}情节重复`;
      continue;
    }
    seen.add(r.circumstance);
    const range: BenchmarkRange = {
      circumstance: r.circumstance,
      kind: r.kind,
      min: r.kind === 'none' ? null : r.min,
      max: r.kind === 'none' ? null : r.max,
      note: text(errors, `range.${r.circumstance}`, '说明', r.note, 500, false),
    };
    const problem = rangeErrors(range);
    if (problem) errors[`range.${r.circumstance}`] = problem;
    ranges.push(range);
  }
  if (ranges.length === 0) errors.ranges = '至少填写一种情节的裁量幅度';
  ranges.sort((a, b) => CIRCUMSTANCES.indexOf(a.circumstance) - CIRCUMSTANCES.indexOf(b.circumstance));
  return {
    value: { code, violation, basisLaw, basisArticle, sortOrder: input.sortOrder, ranges },
    errors,
  };
}

/** `《产品质量法》第四十九条`, or '' when the item names no basis. */
export const basisText = (i: { basisLaw: string | null; basisArticle: string | null }) =>
  i.basisLaw ? `《${i.basisLaw.replace(/^《|》$/g, '')}》${i.basisArticle ?? ''}` : '';
