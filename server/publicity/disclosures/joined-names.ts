/**
 * Names listed after a name found by a cue word, joined by 和, 、, 与, 及 or 以及 (证人张伟和李娜在场, 当事人王强、
 * 刘敏共同经营, 员工周杰及吴芳到场, 张伟、李娜和王强): they share the cue and are masked too (person-names.ts).
 *
 * The token after the conjunction is read as a name by the same rules as a name after a cue (a common surname,
 * given-name characters, the length read from what follows), and must then end plainly: the end of the text or
 * punctuation, another conjunction, a verb or function word of the lists (签订, 到场, 曾, 均), a stop word such
 * as 的, 在, 于 (李娜的父亲, 李娜在场), or a word of `JOINED_END` (共同, 二人). Not before a place or shop (王强、
 * 李明店 may be a shop's name, 李娜家中), 某 or 其, nor before an organisation's words (平安保险公司, 李明有限公司,
 * 黄山旅游公司): only a listed person is taken, never the start of an organisation's name. What is not a surname
 * never starts one (王强和其妻子, 张伟和在场人员, 李明与本局签订). Without a cue of its own the listed name must
 * also look like one (`looksLikeName`).
 */

import { COMPOUND_SURNAMES, GIVEN_NAME_CHARS, GIVEN_NAME_LAST, SURNAMES } from './name-words.js';
import { wordAt } from './segmentation.js';

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

// Dictionary words that look like a surname and a common given name but name a person's role: 王强与房东签订.
const ROLE_WORDS = new Set(['房东']);

/**
 * Whether `s` starts with `name` as a listed person: its given name has a common given-name character (车主,
 * 包工 are no names; 李自力 and 曾荫权 are missed when listed), and where the segmentation reads it as a
 * dictionary word (李平, 周明, 高明, but also 商家, 孙子, 华人, 管理) it must end in a common last character of
 * given names and be no word of `ROLE_WORDS`; a longer word is never a name.
 */
function looksLikeName(s: string, name: string): boolean {
  const surname = COMPOUND_SURNAMES.find((c) => name.startsWith(c)) ?? name.slice(0, 1);
  if (![...name.slice(surname.length)].some((c) => GIVEN_NAME_CHARS.has(c))) return false;
  const word = wordAt(s);
  if (word.length < name.length) return true;
  return word === name && GIVEN_NAME_LAST.has(name[name.length - 1]) && !ROLE_WORDS.has(word);
}

/**
 * The names joined after a name that ends at `at` in `text`, in order (none when no conjunction follows).
 * `nameAt` reads the name at the start of a string as after a cue; `endsName(rest)` tells whether `rest`
 * plainly ends a name before it, a place word such as 店内 not included.
 */
export function namesJoinedAt(
  text: string,
  at: number,
  nameAt: (s: string) => string | null,
  endsName: (rest: string) => boolean,
): string[] {
  const names: string[] = [];
  for (let end = at; ; ) {
    const conj = JOIN.exec(text.slice(end, end + 2))?.[0];
    if (!conj) return names;
    const from = end + conj.length;
    const s = text.slice(from, from + 12);
    const masked = maskedAt(s);
    const name = masked || nameAt(s);
    if (!name || (!masked && !looksLikeName(s, name))) return names;
    const rest = text.slice(from + name.length, from + name.length + 12);
    if (ORG_WORDS.test(rest) || !(JOINED_END.test(rest) || endsName(rest))) return names;
    if (!masked) names.push(name);
    end = from + name.length;
  }
}
