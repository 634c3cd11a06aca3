import type { BenchmarkItem, BenchmarkItemInput, BenchmarkRange, BenchmarkRangeInput, ItemErrors } from './model.js';
import {
  CIRCUMSTANCE_LABELS,
  CIRCUMSTANCES,
  type Circumstance,
  RANGE_KIND_LABELS,
  RANGE_KINDS,
  type RangeKind,
} from './vocabulary.js';

type Body = Record<string, string | string[] | undefined>;
const one = (b: Body, k: string) => {
  const v = b[k];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

/** A bound typed in the form: blank is null, anything but a plain number is NaN (the validation names it). */
function bound(text: string): number | null {
  const t = text.trim().replace(/[,，\s]/g, '');
  if (!t) return null;
  return /^[0-9]+(\.[0-9]+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** The item a page form describes: a circumstance whose kind is left blank is not part of the item. */
export function itemFromForm(body: unknown): BenchmarkItemInput {
  const b = (body ?? {}) as Body;
  const ranges: BenchmarkRange[] = [];
  for (const c of CIRCUMSTANCES) {
    const kind = one(b, `kind.${c}`) as RangeKind | '';
    if (!kind || !(RANGE_KINDS as readonly string[]).includes(kind)) continue;
    ranges.push({
      circumstance: c,
      kind,
      min: bound(one(b, `min.${c}`)),
      max: bound(one(b, `max.${c}`)),
      note: one(b, `note.${c}`),
    });
  }
  const order = one(b, 'sortOrder').trim();
  return {
    code: one(b, 'code'),
    violation: one(b, 'violation'),
    basisLaw: one(b, 'basisLaw'),
    basisArticle: one(b, 'basisArticle'),
    sortOrder: /^[0-9]{1,6}$/.test(order) ? Number(order) : undefined,
    ranges,
  };
}

/** What the form view needs: the item's fields and one row per circumstance with its kind choices. */
export function formView(item: BenchmarkItemInput | BenchmarkItem | null, errors: ItemErrors = {}) {
  const byCircumstance = new Map<Circumstance, BenchmarkRangeInput>(
    (item?.ranges ?? []).map((r) => [r.circumstance, r]),
  );
  const num = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '' : String(v));
  return {
    values: {
      code: item?.code ?? '',
      violation: item?.violation ?? '',
      basisLaw: item?.basisLaw ?? '',
      basisArticle: item?.basisArticle ?? '',
      sortOrder: item?.sortOrder ?? '',
    },
    errors,
    rangesError: errors.ranges,
    ranges: CIRCUMSTANCES.map((c) => {
      const r = byCircumstance.get(c);
      const kinds = c === 'exempt' ? (['none'] as const) : RANGE_KINDS.filter((k) => k !== 'none');
      return {
        circumstance: c,
        label: CIRCUMSTANCE_LABELS[c],
        exempt: c === 'exempt',
        kinds: kinds.map((k) => ({ value: k, label: RANGE_KIND_LABELS[k], selected: r?.kind === k })),
        min: num(r?.min),
        max: num(r?.max),
        note: r?.note ?? '',
        error: errors[`range.${c}`],
      };
    }),
  };
}
