/**
 * Money amounts written in a proposed decision (拟作出的决定), read as a practitioner writes them: Arabic numerals
 * with thousands separators and decimals (人民币800,000元, 3.5万元) or Chinese numerals, lower or upper case
 * (罚款八十万元, 六万四千元, 壹拾万元, 三点五万元), in 元, 万元 or 亿元.
 */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

const DIGIT_CHARS = Object.keys(DIGITS).join('');
const CN = `${DIGIT_CHARS}十拾百佰千仟万亿`;
// A number (Arabic, or Chinese with an optional 点 fraction), an optional 万/亿, then 元.
const AMOUNT = new RegExp(
  `([0-9０-９][0-9０-９,，]*(?:\\.[0-9]+)?|[${CN}]+(?:点[${DIGIT_CHARS}]+)?)\\s*(万|亿)?\\s*元`,
  'g',
);

/** An integer written in Chinese numerals (六万四千, 八十万, 十二, 一千零五, 壹拾万); null if it is not one. */
export function chineseInteger(text: string): number | null {
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch];
    } else if (ch in SMALL_UNITS) {
      section += (digit ?? 1) * SMALL_UNITS[ch];
      digit = null;
    } else if (ch in BIG_UNITS) {
      const unit = BIG_UNITS[ch];
      section += digit ?? 0;
      // 十万 under 亿 (e.g. 三亿五千万): the 万 part is counted within the 亿 section.
      total = unit > 1e4 ? (total + section) * unit : total + section * unit;
      section = 0;
      digit = null;
    } else {
      return null;
    }
  }
  return total + section + (digit ?? 0);
}

function numberOf(text: string): number | null {
  const ascii = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[,，]/g, '');
  if (/^[0-9]+(\.[0-9]+)?$/.test(ascii)) return Number(ascii);
  const [whole, fraction] = text.split('点');
  const integer = chineseInteger(whole);
  if (integer === null) return null;
  if (fraction === undefined) return integer;
  const digits = [...fraction].map((ch) => DIGITS[ch]);
  if (digits.some((d) => d === undefined)) return null;
  return Number(`${integer}.${digits.join('')}`);
}

export interface WrittenAmount {
  /** As written, e.g. "八十万元". */
  text: string;
  /** In yuan. */
  yuan: number;
}

/** Every money amount in the text, in order. */
export function writtenAmounts(text: string): WrittenAmount[] {
  const out: WrittenAmount[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const n = numberOf(m[1]);
    if (n === null) continue;
    const unit = m[2] === '亿' ? 1e8 : m[2] === '万' ? 1e4 : 1;
    out.push({ text: m[0].replace(/\s+/g, ''), yuan: Math.round(n * unit * 100) / 100 });
  }
  return out;
}

const yuan = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}元`;

/**
 * The proposal against the declared 涉案金额: the declared amount may not be less than the largest sum the
 * proposal imposes (an understated amount is what lets a major decision slip under the catalogue's thresholds).
 * Returns the explanation of a mismatch, or null.
 */
export function amountMismatch(proposedDecision: string, declared: number): string | null {
  const amounts = writtenAmounts(proposedDecision);
  if (amounts.length === 0) return null;
  const largest = amounts.reduce((a, b) => (b.yuan > a.yuan ? b : a));
  if (declared >= largest.yuan) return null;
  return `拟作出的决定写明“${largest.text}”（${yuan(largest.yuan)}），而申报的涉案金额为 ${yuan(declared)}，两者不一致：涉案金额不能少于决定涉及的金额，请核实后重新填写`;
}
