import type { Kysely, Transaction } from 'kysely';
import { writtenAmounts } from '../cases/amounts.js';
import type { Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { type BenchmarkItem, type BenchmarkRange, basisText } from './model.js';
import * as q from './queries.js';
import { BASE_LABELS, CIRCUMSTANCE_LABELS, type Circumstance, rangeText, yuanText } from './vocabulary.js';

/** The structured part of a packet's 裁量 (all optional: packets before the benchmark existed have none of it). */
export interface DiscretionChoice {
  benchmarkItemId?: string;
  circumstance?: Circumstance;
  baseAmount?: number;
  explanation?: string;
}

export type AssessmentStatus =
  | 'in_range'
  | 'below'
  | 'above'
  | 'fine_when_exempt'
  | 'no_amount'
  | 'missing_base'
  | 'item_missing'
  | 'circumstance_missing';

export interface DiscretionAssessment {
  itemId: string;
  code: string | null;
  violation: string | null;
  basis: string;
  circumstance: Circumstance;
  circumstanceLabel: string;
  range: BenchmarkRange | null;
  rangeText: string;
  /** The range in 元 (a multiple applied to the declared base); null when there is no fine or no base. */
  low: number | null;
  high: number | null;
  /** The fine read from the proposed decision, as written and in 元; null when it names none. */
  proposed: { text: string; yuan: number } | null;
  status: AssessmentStatus;
  /** The proposal lies outside the benchmark: the officer must explain, the reviewer sees it beside 裁量. */
  deviation: boolean;
  /** One sentence in Chinese, complete enough to be quoted. */
  message: string;
  explanation: string | null;
}

const CLAUSE_END = /[，；。;！!\n]/;

/**
 * The fine (罚款) the proposed decision imposes, read with `writtenAmounts`: an amount is a fine when its clause
 * says 罚款 before it (处罚款3万元, 处以罚款人民币30,000元) or it is followed by 罚款 (并处30,000元罚款); an amount
 * after 没收 (没收违法所得5,000元) is not. Of several fines the largest counts (叁万元（30,000元） is one fine).
 * Without any such mark, a decision that says 罚款 somewhere is read as fining its largest amount not confiscated.
 */
export function proposedFine(text: string): { text: string; yuan: number } | null {
  const amounts = writtenAmounts(text);
  let from = 0;
  const fines: { text: string; yuan: number }[] = [];
  const others: { text: string; yuan: number }[] = [];
  for (const a of amounts) {
    const pattern = new RegExp([...a.text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*'));
    const m = pattern.exec(text.slice(from));
    const start = m ? from + m.index : from;
    const end = m ? start + m[0].length : from;
    from = end;
    const before = text.slice(Math.max(0, start - 16), start);
    const clause = before.split(CLAUSE_END).pop() ?? '';
    const after = text.slice(end, end + 3);
    if (/罚款/.test(clause) || /^的?罚款/.test(after)) fines.push(a);
    else if (!/没收|退还|违法所得|货值/.test(clause)) others.push(a);
  }
  const largest = (xs: { text: string; yuan: number }[]) =>
    xs.length ? xs.reduce((a, b) => (b.yuan > a.yuan ? b : a)) : null;
  if (fines.length) return largest(fines);
  if (/罚款/.test(text) && !/不予.{0,4}处罚/.test(text)) return largest(others);
  return null;
}

const EPS = 0.005;

/** The proposal of a packet against the range of its chosen item and circumstance. */
export function assessAgainst(
  item: BenchmarkItem | undefined,
  choice: DiscretionChoice & { benchmarkItemId: string; circumstance: Circumstance },
  proposedDecision: string,
): DiscretionAssessment {
  const label = CIRCUMSTANCE_LABELS[choice.circumstance] ?? choice.circumstance;
  const range = item?.ranges.find((r) => r.circumstance === choice.circumstance) ?? null;
  const proposed = proposedFine(proposedDecision);
  const base: DiscretionAssessment = {
    itemId: choice.benchmarkItemId,
    code: item?.code ?? null,
    violation: item?.violation ?? null,
    basis: item ? basisText(item) : '',
    circumstance: choice.circumstance,
    circumstanceLabel: label,
    range,
    rangeText: range ? rangeText(range) : '',
    low: null,
    high: null,
    proposed,
    status: 'in_range',
    deviation: false,
    message: '',
    explanation: choice.explanation?.trim() || null,
  };
  const head = item ? `裁量基准 ${item.code}“${item.violation}”${label}情节` : '';
  if (!item) return { ...base, status: 'item_missing', message: '所选的裁量基准事项已不存在（可能已被删除）' };
  if (!range) return { ...base, status: 'circumstance_missing', message: `${head}：该事项没有这一情节` };
  const fine = proposed ? `拟作出的决定罚款${proposed.text}（${yuanText(proposed.yuan)}）` : '拟作出的决定未写明罚款';
  if (range.kind === 'none') {
    if (proposed && proposed.yuan > 0) {
      return { ...base, status: 'fine_when_exempt', deviation: true, message: `${head}为不予处罚，而${fine}` };
    }
    return { ...base, message: `${head}为不予处罚，拟作出的决定未处以罚款，符合裁量基准` };
  }
  let low = range.min ?? 0;
  let high = range.max ?? 0;
  let scope = rangeText(range);
  if (range.kind !== 'fixed') {
    const what = BASE_LABELS[range.kind];
    if (choice.baseAmount === undefined) {
      return { ...base, status: 'missing_base', message: `${head}为${scope}，请填写${what}` };
    }
    low = Math.round(low * choice.baseAmount * 100) / 100;
    high = Math.round(high * choice.baseAmount * 100) / 100;
    scope = `${scope}，按${what}${yuanText(choice.baseAmount)}计为${yuanText(low)}至${yuanText(high)}`;
  }
  const yuan = proposed?.yuan ?? 0;
  const withRange = { ...base, low, high };
  if (!proposed && low > 0) {
    return { ...withRange, status: 'no_amount', deviation: true, message: `${head}为${scope}，而${fine}` };
  }
  if (yuan < low - EPS) {
    return { ...withRange, status: 'below', deviation: true, message: `${head}为${scope}，${fine}，低于下限` };
  }
  if (yuan > high + EPS) {
    return { ...withRange, status: 'above', deviation: true, message: `${head}为${scope}，${fine}，高于上限` };
  }
  return { ...withRange, message: `${head}为${scope}，${fine}，在裁量幅度内` };
}

type Db = Kysely<DB> | Transaction<DB>;

/** The packet's discretion against the department's benchmark, as it stands now; null when it chose no item. */
export async function assessPacket(db: Db, departmentId: string, packet: Packet): Promise<DiscretionAssessment | null> {
  const choice = packet.discretion as Packet['discretion'] & DiscretionChoice;
  if (!choice.benchmarkItemId || !choice.circumstance) return null;
  const item = await q.findItem(db, departmentId, choice.benchmarkItemId);
  return assessAgainst(
    item,
    { ...choice, benchmarkItemId: choice.benchmarkItemId, circumstance: choice.circumstance },
    packet.proposedDecision,
  );
}

function refuse(status: number, field: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new AppError(status, 'VALIDATION_FAILED', message, { field, ...extra });
}

/**
 * At submission and revision: the chosen item must be the department's and have the circumstance, a multiple
 * needs its base amount (400), and a proposal outside the range needs the officer's explanation (422). The error
 * names the packet field (`discretion.explanation`, …) in `details.field`.
 */
export async function assertDiscretion(db: Db, departmentId: string, packet: Packet): Promise<void> {
  const choice = packet.discretion as Packet['discretion'] & DiscretionChoice;
  if (!choice.benchmarkItemId) {
    if (choice.circumstance) refuse(400, 'discretion.benchmarkItemId', '选择了情节时，请选择适用的裁量基准事项');
    return;
  }
  if (!choice.circumstance) refuse(400, 'discretion.circumstance', '请选择裁量基准的情节');
  const a = await assessPacket(db, departmentId, packet);
  if (!a || a.status === 'item_missing') {
    refuse(400, 'discretion.benchmarkItemId', '所选的裁量基准事项不存在，请从本机关的裁量基准中选择');
  }
  if (a.status === 'circumstance_missing') refuse(400, 'discretion.circumstance', a.message);
  if (a.status === 'missing_base') refuse(400, 'discretion.baseAmount', a.message);
  if (a.deviation && !a.explanation) {
    refuse(422, 'discretion.explanation', `${a.message}：偏离裁量基准的，请填写偏离的理由`, {
      assessment: { status: a.status, low: a.low, high: a.high, proposed: a.proposed },
    });
  }
}
