/**
 * Redaction of personal data before publication (作适当处理后公开). The masking rule, applied to every
 * item found:
 *
 * | item | detected by | published as |
 * |---|---|---|
 * | resident ID (居民身份证号码) | 18 characters, region digit 1–8, a real birth date, ISO 7064 check digit | first 4 and last 4 kept, the 10 between as `*`: 3201**********1234 |
 * | mobile (手机号码) | 1[3-9] + 9 digits, optionally +86 and spaces/hyphens | 138****5678 |
 * | landline (固定电话) | 0 + 2–3 digit area code, separator, 7–8 digits | area code kept, number masked but its last 2: 025-******78 |
 * | bank card (银行卡号) | 16–19 digits (optionally grouped by 4) passing the Luhn check | first 4 and last 4 kept: 6222***********1234 |
 * | e-mail | local@domain | first character of the local part, then ***: z***@example.com |
 * | detailed address (详细地址) | a place (…省/市/区/县/镇/乡/街道) followed by a road/village and a number (…路12号…室) | kept down to the county or street, the rest as ****: 南京市鼓楼区**** |
 * | natural person's name | the party's own name, and 2–3 character names after cue words (当事人, 法定代表人, 负责人, 经营者, 证人…; relatives, employees and shop keepers: 妻子, 父亲, 儿子, 亲属, 员工, 店主…) starting with a common surname, the given name's length read from the words that follow it (王强开设便利店 → 王强), given names beginning with a function character or ending in 和 included (张自强, 李和平, 刘向东, 张向前, 李保和), not the adverb 曾 or the preposition 于 (当事人曾在家销售, 于次日), and the names listed after such a name with 和, 、, 与, 及, 以及 (证人张伟和李娜在场, 证人张伟和李自力在场, 李娜家中: both; not 王强和平安保险公司); not the beginning of an organisation's name after a cue (当事人华东商贸有限公司, 当事人万元食品店); every occurrence of a name found is masked, but 万 after a number (5万元), and a trade name's person (当事人刘敏美容店) only where the name starts a clause and a word that follows names comes next (，刘敏于当日) | surname + 某某: 张某某, 欧阳某某 |
 *
 * Organisations' names and unified social credit codes are never masked: a found item lying inside a
 * recognised organisation name (王强便利店 stays), or an 18-character code introduced by 信用代码, is dropped; a
 * person's name found in the text followed by a word that follows names (王强店内, 王强的便利店) is no part of
 * an organisation name. Masking never changes a character outside the masked item.
 */

import { isVerbTradeName, ORG_SUFFIX, organisationAfter, tradeNameAfterPlace } from './organisation-names.js';
import { CUE_PATTERN, maskPersonName, personNamesIn, readsAsSubject, startsAfterNameWord } from './person-names.js';

export { maskPersonName, surnameOf } from './person-names.js';

export type FindingKind = 'id_card' | 'mobile' | 'landline' | 'bank_card' | 'email' | 'address' | 'person_name';

export interface Finding {
  kind: FindingKind;
  start: number;
  end: number;
  text: string;
  replacement: string;
}

export interface RedactionContext {
  /** Names of natural persons known from the case (the party, when a person). */
  personNames?: readonly string[];
  /** Names of organisations known from the case (the party, when an organisation). */
  organizationNames?: readonly string[];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A resident ID number: region, a real birth date and the ISO 7064 MOD 11-2 check character. */
export function isResidentId(s: string): boolean {
  if (!/^[1-8]\d{16}[\dX]$/i.test(s)) return false;
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === s[17].toUpperCase();
}

/** The Luhn check of bank card numbers. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

const stars = (n: number) => '*'.repeat(Math.max(0, n));
const keepEnds = (s: string, head: number, tail: number) =>
  s.slice(0, head) + stars(s.length - head - tail) + s.slice(s.length - tail);

const ORG_NAME = new RegExp(`[\\u4e00-\\u9fa5（）()]{2,30}?(?:${ORG_SUFFIX})`, 'gu');
// Connectives, demonstratives (该店, 其店) and cue words do not occur inside organisation names.
const ORG_BREAK = new RegExp(`[与和及向对在将由被系为经查依据根据因该其]|${CUE_PATTERN}`, 'gu');

/**
 * Spans of organisation names: known names anywhere, and any run ending in an organisation suffix. A trade
 * name keeps the personal name in it (王强便利店, like a known 王建国食品有限公司), but a person's name found
 * in the text ends the run where a word that follows names comes next, the same reading that fixes the
 * name's length: 当事人王强店内存放 (店内), 经营者李明站在门口 (站在), 王强的便利店, 王强从李记批发店购进,
 * 王强开设便利店, 王强租用店面; not where that word and the suffix alone are the trade name (王强加工厂), nor
 * where a place character begins the organisation's words (王强家具店: not 王强家中). Other words run into the
 * suffix as an organisation's only without a break such as 一人, 夫妇 or a verb before the suffix (王芳一人看店,
 * 王强夫妇开店: the person; see organisation-names.ts).
 */
function organizationSpans(text: string, known: readonly string[], persons: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const name of known) {
    if (!name) continue;
    for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + 1)) spans.push([i, i + name.length]);
  }
  for (const m of text.matchAll(ORG_NAME)) {
    const at = m.index ?? 0;
    // Start the name after the last connective or cue word inside the match (…当事人张三与某某公司 → 某某公司).
    let start = 0;
    for (const b of m[0].matchAll(ORG_BREAK)) start = (b.index ?? 0) + b[0].length;
    for (const p of persons) {
      for (let i = m[0].indexOf(p, start); i !== -1; i = m[0].indexOf(p, i + 1)) {
        const [tail, next] = [m[0].slice(i + p.length), text.slice(at + m[0].length)];
        const rest = tail + next;
        const org = startsAfterNameWord(rest)
          ? isVerbTradeName(tail, next) || tradeNameAfterPlace(rest)
          : organisationAfter(p, rest);
        if (!org) start = i + p.length;
      }
    }
    if (m[0].length - start >= 3) spans.push([at + start, at + m[0].length]);
  }
  return spans;
}

const DIGITS_BOUNDARY = '(?<![0-9A-Za-z])';
const DIGITS_END = '(?![0-9A-Za-z])';
const ID_RE = new RegExp(`${DIGITS_BOUNDARY}[1-8]\\d{16}[\\dXx]${DIGITS_END}`, 'g');
const CARD_RE = new RegExp(`${DIGITS_BOUNDARY}(?:\\d{4}[ -]?){3}\\d{4,7}${DIGITS_END}`, 'g');
const MOBILE_RE = new RegExp(`${DIGITS_BOUNDARY}(?:\\+?86[ -]?)?1[3-9]\\d(?:[ -]?\\d{4}){2}${DIGITS_END}`, 'g');
const LANDLINE_RE = new RegExp(
  `${DIGITS_BOUNDARY}[（(]?0\\d{2,3}[)）]?[ -－]?[2-9]\\d{6,7}(?:[-转]\\d{1,6})?${DIGITS_END}`,
  'g',
);
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const ADDRESS_RE =
  /((?:[\u4e00-\u9fa5]{2,8}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,8}?市)?(?:[\u4e00-\u9fa5]{1,8}?(?:区|县|旗))?(?:[\u4e00-\u9fa5]{2,8}?(?:镇|乡|街道))?)([\u4e00-\u9fa5]{1,12}?(?:路|街|大道|巷|弄|胡同|村|社区|小区|花园|苑)[\u4e00-\u9fa5A-Za-z0-9\-－#]{0,12}?(?:\d+|[一二三四五六七八九十百]+)(?:号|栋|幢|室|组)(?:[\dA-Za-z\-－]*(?:号|栋|幢|单元|室|楼|层))*)/gu;

const NUMERAL = /^[0-9０-９.〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰仟]$/u;

function collect(text: string, ctx: RedactionContext): Finding[] {
  const out: Finding[] = [];
  const add = (kind: FindingKind, start: number, end: number, replacement: string) =>
    out.push({ kind, start, end, text: text.slice(start, end), replacement });

  for (const m of text.matchAll(ID_RE)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 12), m.index);
    if (isResidentId(m[0]) && !/信用代码[：:\s]*$/.test(before)) {
      add('id_card', m.index ?? 0, (m.index ?? 0) + 18, keepEnds(m[0], 4, 4));
    }
  }
  for (const m of text.matchAll(CARD_RE)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length >= 16 && digits.length <= 19 && passesLuhn(digits) && !isResidentId(digits)) {
      add('bank_card', m.index ?? 0, (m.index ?? 0) + m[0].length, keepEnds(digits, 4, 4));
    }
  }
  for (const m of text.matchAll(MOBILE_RE)) {
    const digits = m[0].replace(/\D/g, '').slice(-11);
    add('mobile', m.index ?? 0, (m.index ?? 0) + m[0].length, keepEnds(digits, 3, 4));
  }
  for (const m of text.matchAll(LANDLINE_RE)) {
    const area = /0\d{2,3}/.exec(m[0])?.[0] ?? '';
    const rest = m[0].slice(m[0].indexOf(area) + area.length).replace(/\D/g, '');
    add('landline', m.index ?? 0, (m.index ?? 0) + m[0].length, `${area}-${keepEnds(rest, 0, 2)}`);
  }
  for (const m of text.matchAll(EMAIL_RE)) {
    const [local, domain] = m[0].split('@');
    add('email', m.index ?? 0, (m.index ?? 0) + m[0].length, `${local[0]}***@${domain}`);
  }
  for (const m of text.matchAll(ADDRESS_RE)) {
    const start = (m.index ?? 0) + m[1].length;
    add('address', start, start + m[2].length, '****');
  }
  // Every occurrence of a name found anywhere in the text is masked, not only the one after the cue, but for
  // 万 after a number, an amount (证人万元称 …, 罚款人民币5万元); the beginning of an organisation's name after a
  // cue only where it reads as a person's (当事人刘敏美容店 …。刘敏于当日 …).
  for (const [name, reading] of personNamesIn(text, ctx.personNames ?? [])) {
    for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + name.length)) {
      if (name[0] === '万' && NUMERAL.test(text[i - 1] ?? '')) continue;
      if (reading === 'organisation-start' && !readsAsSubject(text, i, name)) continue;
      add('person_name', i, i + name.length, maskPersonName(name));
    }
  }
  return out;
}

/** Overlapping findings: the earlier wins, then the longer (an ID beats the card pattern inside it). */
function resolveOverlaps(found: Finding[]): Finding[] {
  const priority: Record<FindingKind, number> = {
    id_card: 0,
    bank_card: 1,
    email: 2,
    mobile: 3,
    landline: 4,
    address: 5,
    person_name: 6,
  };
  const sorted = [...found].sort(
    (a, b) => priority[a.kind] - priority[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const f of sorted) {
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Personal data found in `text`, without overlaps and outside organisation names. */
export function detectPersonalData(text: string, ctx: RedactionContext = {}): Finding[] {
  const found = collect(text, ctx);
  const persons = found.filter((f) => f.kind === 'person_name').map((f) => f.text);
  const orgs = organizationSpans(text, ctx.organizationNames ?? [], persons);
  const insideOrg = (f: Finding) => orgs.some(([s, e]) => f.start >= s && f.end <= e);
  return resolveOverlaps(found.filter((f) => !(f.kind === 'person_name' && insideOrg(f))));
}

export function applyFindings(text: string, findings: readonly Finding[]): string {
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + f.replacement;
    at = f.end;
  }
  return out + text.slice(at);
}

/** The text with personal data masked per the rule above, and what was masked. */
export function redact(text: string, ctx: RedactionContext = {}): { text: string; findings: Finding[] } {
  const findings = detectPersonalData(text, ctx);
  return { text: applyFindings(text, findings), findings };
}

/** Reviewer-marked withheld passages (国家秘密、商业秘密): 【…】 in the reviewed text becomes 【此处内容不予公开】. */
export const WITHHELD = '【此处内容不予公开】';
export function applyWithheld(text: string): string {
  return text.replace(/【(?!此处内容不予公开】)[^【】]*】/gu, WITHHELD);
}
