/** The circumstances (情节) a benchmark item distinguishes, in the order a benchmark lists them. */
export const CIRCUMSTANCES = ['mitigated', 'lighter', 'general', 'heavier', 'exempt'] as const;
export type Circumstance = (typeof CIRCUMSTANCES)[number];

export const CIRCUMSTANCE_LABELS: Record<Circumstance, string> = {
  mitigated: '减轻',
  lighter: '从轻',
  general: '一般',
  heavier: '从重',
  exempt: '不予处罚',
};

/** How a range is written: 罚款 in 元, a multiple of 货值金额 or 违法所得, or no penalty (不予处罚 only). */
export const RANGE_KINDS = ['fixed', 'goods_value', 'illegal_gains', 'none'] as const;
export type RangeKind = (typeof RANGE_KINDS)[number];

export const RANGE_KIND_LABELS: Record<RangeKind, string> = {
  fixed: '罚款金额（元）',
  goods_value: '货值金额倍数',
  illegal_gains: '违法所得倍数',
  none: '不予处罚',
};

/** What the multiple is of, as a sentence names it. */
export const BASE_LABELS: Partial<Record<RangeKind, string>> = { goods_value: '货值金额', illegal_gains: '违法所得' };

/** A circumstance or range kind from its Chinese label or its code; undefined if it is neither. */
export function codeFromLabel<K extends string>(labels: Record<K, string>, text: string): K | undefined {
  const t = text.trim();
  const byLabel = (Object.keys(labels) as K[]).find((k) => labels[k] === t);
  if (byLabel) return byLabel;
  return (Object.keys(labels) as K[]).find((k) => k === t);
}

/** 元 as a practitioner writes it: 50,000元. */
export const yuanText = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}元`;

/** A range in words: 5,000元至30,000元, 货值金额1倍至3倍, 不予处罚. */
export function rangeText(r: { kind: RangeKind; min: number | null; max: number | null }): string {
  if (r.kind === 'none') return '不予处罚';
  if (r.kind === 'fixed') return `${yuanText(r.min ?? 0)}至${yuanText(r.max ?? 0)}`;
  return `${BASE_LABELS[r.kind]}${r.min}倍至${r.max}倍`;
}
