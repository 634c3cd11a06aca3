const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 四十九 -> 49, 一百零五 -> 105, 十二 -> 12, 49 -> 49, ４９ -> 49; null when the text is not a number. */
export function parseNumeral(text: string): number | null {
  const t = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!t || !/^[零〇一二两三四五六七八九十百千]+$/.test(t)) return null;
  let total = 0;
  let digit = -1;
  for (const c of t) {
    if (c in DIGITS) digit = DIGITS[c];
    else {
      total += (digit < 0 ? 1 : digit) * UNITS[c];
      digit = -1;
    }
  }
  if (digit > 0) total += digit;
  return total;
}

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 49 -> 四十九, 105 -> 一百零五, 12 -> 十二 (the form the statutes print). */
export function toNumeral(n: number): string {
  if (n < 10) return CN[n];
  if (n < 20) return `十${n % 10 ? CN[n % 10] : ''}`;
  if (n < 100) return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
  if (n < 1000) {
    const rest = n % 100;
    const head = `${CN[Math.floor(n / 100)]}百`;
    if (!rest) return head;
    return rest < 10
      ? `${head}零${CN[rest]}`
      : `${head}${CN[Math.floor(rest / 10)]}十${rest % 10 ? CN[rest % 10] : ''}`;
  }
  const rest = n % 1000;
  const head = `${CN[Math.floor(n / 1000)]}千`;
  if (!rest) return head;
  return rest < 100 ? `${head}零${toNumeral(rest)}` : `${head}${toNumeral(rest)}`;
}
