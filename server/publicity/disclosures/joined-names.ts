/**
 * Names listed after a name found by a cue word, joined by 和, 、, 与, 及 or 以及 (证人张伟和李娜在场, 当事人王强、
 * 刘敏共同经营, 员工周杰及吴芳到场, 张伟、李娜和王强): they share the cue and are masked too (person-names.ts).
 *
 * The token after the conjunction is read as a name by the same rules as a name after a cue (a common surname,
 * given-name characters, the length read from what follows), and must then end plainly: the end of the text or
 * punctuation, another conjunction, a verb or function word of the lists (签订, 到场, 曾, 均), a stop word such
 * as 的, 在, 于 (李娜的父亲, 李娜在场), a word of `JOINED_END` (共同, 二人), or the person's home (李娜家中, 李娜
 * 站在门口). Not before a shop or other place (王强、李明店 may be a shop's name), 某 or 其, nor before an
 * organisation's words (平安保险公司, 李明有限公司, 黄山旅游公司): only a listed person is taken, never the start
 * of an organisation's name. What is not a surname never starts one (王强和其妻子, 张伟和在场人员, 李明与本局签订).
 * Without a cue of its own the listed name must also look like one (`looksLikeName`); one whose given name has
 * no common character (李自力, 曾荫权) is read from the list's shape instead and taken only where the list ends
 * in what only a person does (`PERSON_END`: 在场, 签字, 称).
 */

import { isStopChar } from './name-ends.js';
import {
  COMPOUND_SURNAMES,
  GIVEN_NAME_CHARS,
  GIVEN_NAME_LAST,
  NEVER_GIVEN,
  SURNAMES,
  surnameOf,
} from './name-words.js';
import { CJK, wordAt } from './segmentation.js';

const JOIN = /^(?:以及|[和、与及])/u;
// Words after the last of listed persons (二人共同经营, 夫妇均到场) that the lists of words after a name lack.
const JOINED_END = /^(?:共同|一同|一起|一并|夫妇|夫妻|二人|两人|三人|等人|双方)/u;
// An organisation's words: the listed "name" begins an organisation's name, not a person's.
const ORG_WORDS =
  /^(?:有限|股份|公司|集团|保险|银行|证券|商行|商贸|贸易|实业|科技|经营部|门市|工作室|合作社|事务所|超市|药房|药店|诊所|医院|学校|中心|协会)/u;

/** The already masked name (黄某, 李某某, 欧阳某某) `s` starts with, or '': the list runs on past it. */
function maskedAt(s: string): string {
  const surname = COMPOUND_SURNAMES.find((c) => s.startsWith(c)) ?? (SURNAMES.has(s[0]) ? s[0] : '');
  const mask = surname ? /^某{1,2}/u.exec(s.slice(surname.length)) : null;
  return mask ? surname + mask[0] : '';
}

// A listed person's home, or 站 as a verb (证人张伟和李娜家中, 李娜站在门口): not 店, a shop may bear the name.
const HOME_WORDS = '家(?:中|里|内|门口|附近|楼下)|站在';
const HOME = new RegExp(`^(?:${HOME_WORDS})`, 'u');
// What only a person does (在场, 签字, 称), maybe after 均, 二人 …: a given name without a common character is
// taken where the list ends in it (证人张伟和李自力在场, 王强和曾荫权、李娜均到场), not before punctuation or other
// verbs (路由器、车载机均被扣押; 王强与周黑鸭签订合同: an organisation's brand may be named so).
const PERSON_END = new RegExp(
  `^(?:(?:均|都|也|亦|二人|两人|三人|等人|夫妇|夫妻|共同|一同|一起)?(?:未|不|没有)?(?:在场|到场|签字|签名|捺印|称|陈述|证实|承认|否认|供述|辩称|声称|指认|交代|供认)|${HOME_WORDS})`,
  'u',
);

// Dictionary words that look like a surname and a common given name but name a person's role: 王强与房东签订.
const ROLE_WORDS = new Set(['房东']);

/**
 * Whether `s` starts with `name` as a listed person. Where its given name has a common given-name character
 * and the segmentation reads it as a dictionary word (李平, 周明, 高明, but also 商家, 孙子, 华人, 管理), it must
 * end in a common last character of given names and be no word of `ROLE_WORDS`; a longer word is never a name.
 * A given name without a common character (李自力, 曾荫权; not 李力) must have the shape of one (`shapedAsName`)
 * and the list end in what only a person does (see `namesJoinedAt`).
 */
function looksLikeName(s: string, name: string): boolean {
  const surname = surnameOf(name);
  const given = name.slice(surname.length);
  if (rareGiven(name)) return shapedAsName(s, surname, given);
  const word = wordAt(s);
  if (word.length < name.length) return true;
  return word === name && GIVEN_NAME_LAST.has(name[name.length - 1]) && !ROLE_WORDS.has(word);
}

/** Whether the given name of `name` has no common given-name character (李自力, 曾荫权). */
const rareGiven = (name: string) => ![...name.slice(surnameOf(name).length)].some((c) => GIVEN_NAME_CHARS.has(c));

/**
 * Whether the surname `surname` and the 2-character given name `given` without a common given-name character
 * at the start of `s` have the shape of a name: the segmentation starts no word at the surname but the
 * compound surname itself (管理员, 安全员, 司法所 …), and the given name is no word unless it begins with a stop
 * character (自力, 向前: not 包 + 工头, 康 + 师傅). A 1-character one stays a known limit: 车主, 钱款, 商家, 路人
 * look the same (and the segmentation knows few of them).
 */
function shapedAsName(s: string, surname: string, given: string): boolean {
  if (given.length !== 2 || [...given].some((c) => NEVER_GIVEN.has(c) || !CJK.test(c))) return false;
  if (![surname, ''].includes(wordAt(s))) return false;
  return isStopChar(given[0]) || wordAt(s.slice(surname.length)).length < 2;
}

/**
 * The names joined after a name that ends at `at` in `text`, in order (none when no conjunction follows).
 * `nameAt` reads the name at the start of a string as after a cue; `endsName(rest)` tells whether `rest`
 * plainly ends a name before it, a place word such as 店内 not included. Names without a common given-name
 * character are taken only where the list ends in `PERSON_END` (张伟和李自力、王强在场; not 王强与周黑鸭签订).
 */
export function namesJoinedAt(
  text: string,
  at: number,
  nameAt: (s: string) => string | null,
  endsName: (rest: string) => boolean,
): string[] {
  const names: string[] = [];
  const pending: string[] = [];
  for (let end = at; ; ) {
    const conj = JOIN.exec(text.slice(end, end + 2))?.[0];
    if (!conj) return names;
    const from = end + conj.length;
    const s = text.slice(from, from + 12);
    const masked = maskedAt(s);
    const name = masked || nameAt(s);
    if (!name || (!masked && !looksLikeName(s, name))) return names;
    const rest = text.slice(from + name.length, from + name.length + 12);
    if (ORG_WORDS.test(rest) || !(JOINED_END.test(rest) || HOME.test(rest) || endsName(rest))) return names;
    if (!masked && rareGiven(name)) pending.push(name);
    else if (!masked) names.push(name);
    if (!JOIN.test(rest) && PERSON_END.test(rest)) names.push(...pending);
    if (!JOIN.test(rest)) return names;
    end = from + name.length;
  }
}
