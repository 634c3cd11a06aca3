/**
 * Organisation names in decision texts: legal persons' and trade names are public, so a reading of a personal
 * name that is the beginning of one (当事人华东商贸有限公司 → 华东商, 当事人万元食品店 → 万元) is no person
 * (person-names.ts), and the spans of organisation names keep the names inside them (redaction.ts).
 */

import { listedWordAt, startsAfterNameWord } from './name-ends.js';
import { PLACE_CHARS } from './name-words.js';

export const ORG_SUFFIX =
  '有限责任公司|股份有限公司|有限公司|分公司|公司|合作社|事务所|集团|商行|经营部|门市部|工作室|营业部|加油站|超市|药房|药店|诊所|医院|学校|幼儿园|酒店|宾馆|饭店|餐厅|分行|支行|网吧|委员会|村委会|居委会|厂|店|馆|站|中心|协会';

const SUFFIX_AT = new RegExp(`^(?:${ORG_SUFFIX})`, 'u');
const SUFFIX_ONLY = new RegExp(`^(?:${ORG_SUFFIX})$`, 'u');
// A run of an organisation's words up to a suffix (华东商贸 + 有限公司, 某某 + 公司, 银行南京 + 分行).
const RUN_TO_SUFFIX = new RegExp(`^[\\u4e00-\\u9fa5（）()]{0,20}?(${ORG_SUFFIX})`, 'u');
// Connectives, prepositions, demonstratives, verbs of motion and words for people: a clause, not an
// organisation's name, goes on past them (王强于今日到店, 王强的便利店, 王强夫妇开店, 王芳一人看店).
const RUN_BREAK =
  /[与和及向对在将由被系为经查依据根因该其的是于从到把给让曾均仍即就还拒也称]|夫妇|夫妻|全家|一家|母子|父子|母女|父女|一人|二人|两人|本人|自己|合伙/u;
// A verb right before the suffix makes it the verb's object (开店, 看店, 来店, 开厂): not an organisation's name.
const VERB_BEFORE_SUFFIX = new Set([...'开看来去回进守']);
// After 家, 店, 站 … : the person's home or shop, or 站 as a verb (李娜家中, 王强店内, 李明站在门口).
const LOCATIVE = /^[中里内外门前后旁边附楼院口]/u;

/** The run of organisation words and the suffix ending it that `s` starts with (no break in it), or ''. */
function runToSuffix(s: string): string {
  const m = RUN_TO_SUFFIX.exec(s);
  const words = m ? m[0].slice(0, m[0].length - m[1].length) : '';
  return m && !RUN_BREAK.test(words) && !VERB_BEFORE_SUFFIX.has(words[words.length - 1]) ? m[0] : '';
}

/**
 * Whether a verb of the lists and an organisation suffix alone are a trade name (加工厂, 批发店, 运输有限公司),
 * `tail` running from the verb to the suffix's end and `next` following it: not where the suffix runs on into a
 * word (租用店面, 租用店铺).
 */
export function isVerbTradeName(tail: string, next: string): boolean {
  const verb = listedWordAt(tail);
  return verb !== '' && SUFFIX_ONLY.test(tail.slice(verb.length)) && !/^[面铺房址]/u.test(next);
}

/**
 * Whether `rest`, the text after a personal name, starts with a place character (家, 店 …) that begins an
 * organisation's words rather than the person's home or shop: 王强家具店, 华润万家超市 (not 李娜家中, 王强店内,
 * 李明站在门口, 王强店铺), also before a suffix or 某 (华润万家 + 有限公司, 某某商行, 家电超市).
 */
export function tradeNameAfterPlace(rest: string): boolean {
  if (!PLACE_CHARS.has(rest[0])) return false;
  const after = rest.slice(1);
  if (SUFFIX_AT.test(after)) return true;
  if (LOCATIVE.test(after) || runToSuffix(after) === '') return false;
  return after[0] === '某' || !startsAfterNameWord(after) || tradeNameAfterPlace(after);
}

/**
 * Whether the text `rest` after `name`, a reading of a personal name, makes it the beginning of an
 * organisation's name: a suffix right after it (华东 + 有限公司, 华联 + 超市) or begun by its last character
 * (龙腾网 + 吧), organisation words running into one without a break (华东商 + 贸有限公司, 万元 + 食品店, 黄山 +
 * 旅游公司, 宁夏 + 某某公司, 华夏 + 银行南京分行), a verb of the lists and a suffix alone (王强 + 加工厂; not 王强 +
 * 销售店内商品), or a place character beginning organisation words (王强 + 家具店). Not where a word that follows
 * names comes first: 王强开设便利店, 王强的便利店, 王强店内, 王强从李记批发店购进, 王芳一人看店.
 */
export function organisationAfter(name: string, rest: string): boolean {
  // The reading took the first character of a suffix (龙腾网 + 吧).
  if ((SUFFIX_AT.exec(name.slice(-1) + rest)?.[0].length ?? 0) > 1) return true;
  const verb = listedWordAt(rest);
  if (verb) {
    const suffix = SUFFIX_AT.exec(rest.slice(verb.length))?.[0] ?? '';
    const next = rest.slice(verb.length + suffix.length);
    return suffix !== '' && isVerbTradeName(verb + suffix, next) && !LOCATIVE.test(next);
  }
  if (PLACE_CHARS.has(rest[0])) return tradeNameAfterPlace(rest);
  if (SUFFIX_AT.test(rest)) return true;
  if (rest[0] !== '某' && startsAfterNameWord(rest)) return false;
  return runToSuffix(rest) !== '';
}
