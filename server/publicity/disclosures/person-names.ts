/**
 * Natural persons' names in a decision's text, for the masking in redaction.ts: the names known from the case,
 * and names after cue words (当事人, 证人 …; relatives, employees and keepers: 妻子, 父亲, 员工, 店主 …), a common
 * surname with a given name whose length is read from the words that follow it (李明销售 → 李明; 王秀英也 →
 * 王秀英; 王强开设便利店 → 王强), also where the given name begins with a stop word (张自强销售 → 张自强;
 * 李和平未到场 → 李和平; 张向前于 → 张向前) or ends in 和 (李保和在店内 → 李保和). A surname that is also an
 * adverb (当事人曾在家销售, 曾多次) or the preposition 于 before a time or place (于次日, 于本月) is no name, nor
 * is the beginning of an organisation's name after a cue (当事人华东商贸有限公司, 当事人万元食品店: see
 * organisation-names.ts), a trade name's 记 (李记面馆) or a place ending in 省, 市, 县, 区, 村 (余杭区某公司).
 * Names listed after a found one (张伟和李娜, 王强、刘敏) are found in joined-names.ts. The word lists are in
 * name-words.ts, what ends a name in name-ends.ts.
 */

import { namesJoinedAt } from './joined-names.js';
import {
  CUE_PATTERN,
  isStopChar,
  listedWordAt,
  NAME_STOP,
  startsAfterNameWord,
  startsListedWord,
} from './name-ends.js';
import {
  ADVERB_SURNAMES,
  AFTER_NAME_CHARS,
  AFTER_YU,
  COMPOUND_SURNAMES,
  GIVEN_NAME_CHARS,
  GIVEN_NAME_LAST,
  GIVEN_NAME_LAST_BEFORE_LISTED,
  NEVER_GIVEN,
  PLACE_CHARS,
  RELATION_CUES,
  SURNAMES,
  surnameOf,
} from './name-words.js';
import { organisationAfter } from './organisation-names.js';
import { CJK, startsWord, wordAt } from './segmentation.js';

export { CUE_PATTERN, listedWordAt, startsAfterNameWord } from './name-ends.js';
export { surnameOf } from './name-words.js';

export function maskPersonName(name: string): string {
  return `${surnameOf(name)}某某`;
}

const RELATION_CUE_SET = new Set(RELATION_CUES);
const PLACE_END = new Set([...'省市县区村']);
// The name is looked ahead at, not consumed.
const CUE_BEFORE_NAME = new RegExp(`(?:${CUE_PATTERN})[：:，, ]?(?=[\\u4e00-\\u9fa5]{2})`, 'gu');

/**
 * Whether `rest` plainly ends a name before it: the end of the text or punctuation, a word of the lists (a
 * place such as 店内 only with `places`: not in 曾在新店), or a one-character stop word other than 某 and 其
 * (not 公司, 个体, 本人 or a cue word).
 */
function plainEnd(rest: string, places: boolean): boolean {
  if (!CJK.test(rest)) return true;
  if (startsListedWord(rest)) return places || !PLACE_CHARS.has(rest[0]);
  return isStopChar(rest[0]) && !NEVER_GIVEN.has(rest[0]);
}

/**
 * Whether a 1-character given name ends before `rest` (the text after its first character): `rest` starts
 * with a word that follows names (李明销售 → 销售, 赵强曾于 → 曾), unless its first character commonly ends
 * given names and a word starts right after it (王秀英也 → 英 + 也; 王晓明知道 → 明 + 知道, not 明知).
 */
function givenEndsBefore(rest: string): boolean {
  const next = rest.slice(1);
  if (startsAfterNameWord(rest)) {
    const verb = !AFTER_NAME_CHARS.has(rest[0]) && !isStopChar(rest[0]);
    return !(verb && GIVEN_NAME_LAST.has(rest[0]) && startsAfterNameWord(next));
  }
  if (!wordAt(rest)) return false;
  if (GIVEN_NAME_LAST_BEFORE_LISTED.has(rest[0])) return !startsAfterNameWord(next);
  return !(GIVEN_NAME_LAST.has(rest[0]) && (startsAfterNameWord(next) || wordAt(next) !== ''));
}

/**
 * Whether a 2-character given name whose first character is a one-character stop word starts at `at` in `s`:
 * 自强, 在明, 和平, 向东, 为民, 向前, 自力 (张自强销售, 王在明证实, 李和平未到场, 刘自力称). The stop word cannot
 * begin it, so the name must show itself by its end: a common given-name character that is no stop word,
 * followed by the end of the text, punctuation, a word of the lists, or a dictionary word the segmentation
 * starts right there (or that the character commonly ends given names). A rarer second character (前, 力)
 * needs a plain end (`plainEnd`), and a surname the segmentation reads with the stop word as one word (成为,
 * 关于) is that word. After a surname that is also an adverb (曾, 应, 尚) the second character must commonly
 * end given names and the end be plain: adverb + preposition (当事人曾在家中存放, 曾在家销售, 尚未建立, 曾自行
 * 整改, 应自行整改, 曾向执法人员) fails. 某 (an already masked name) never begins one.
 */
function stopWordGivenAt(s: string, at: number): boolean {
  const [first, second] = [s[at] ?? '', s[at + 1] ?? ''];
  if (first === '某' || !isStopChar(first) || isStopChar(second) || !CJK.test(second) || NEVER_GIVEN.has(second)) {
    return false;
  }
  const rest = s.slice(at + 2);
  if (at === 1 && ADVERB_SURNAMES.has(s[0])) return GIVEN_NAME_LAST.has(second) && plainEnd(rest, false);
  if (!GIVEN_NAME_CHARS.has(second)) return plainEnd(rest, true) && (at > 1 || !wordAt(s));
  if (!CJK.test(rest) || startsAfterNameWord(rest)) return true;
  return wordAt(rest) !== '' && (GIVEN_NAME_LAST.has(second) || startsWord(s, at + 2));
}

/**
 * Whether `after` (the text after the surname) starts with a 2-character given name ending in 和 (保和, 永和):
 * 李保和在店内, 李保和称. 和 is mostly the conjunction (王强和其妻子, 王强和员工, 王强和在场人员, 王强和销售人员,
 * 王强和于洋, 王强和店内员工), so what follows must begin no noun phrase: the end, punctuation, a verb of the
 * lists not followed by 人/者/员 …, a function word of the lists other than a place, or a stop word other
 * than 其/某 that begins no other dictionary word, 于/向/和 only as the preposition (于当日, 向执法人员).
 */
function givenEndingInHeAt(after: string): boolean {
  const [first, rest] = [after[0] ?? '', after.slice(2)];
  if (after[1] !== '和' || !GIVEN_NAME_CHARS.has(first) || isStopChar(first)) return false;
  // 李保和和张伟: the second 和 is the conjunction; 孙明和曾浩然, 向斌和于自立: a name after the conjunction.
  if (!CJK.test(rest) || rest[0] === '和') return true;
  if (SURNAMES.has(rest[0]) && nameAt(rest, []) !== null) return false;
  const listed = listedWordAt(rest);
  if (listed) return !PLACE_CHARS.has(rest[0]) && !/^(?:人|者|员(?!工)|商|方|品)/u.test(rest.slice(listed.length));
  if (wordAt(rest) && !isStopChar(rest[1])) return false;
  if (AFTER_NAME_CHARS.has(rest[0])) return !PLACE_CHARS.has(rest[0]);
  if (!isStopChar(rest[0]) || NEVER_GIVEN.has(rest[0])) return false;
  const object = rest.slice(1);
  if (!'于向和'.includes(rest[0]) || !CJK.test(object) || isStopChar(object[0])) return true;
  return (rest[0] === '于' && AFTER_YU.test(object)) || (!GIVEN_NAME_CHARS.has(object[0]) && wordAt(object) !== '');
}

/**
 * After a surname that is also an adverb (曾, 应, 尚 …), whether the given name of length `len` in `after`
 * shows itself: its first character begins no word of the lists, a dictionary word there is made of given-name
 * characters (曾建国, not 曾多次, 曾一度), and a given name with a rarer character is taken only after 曾 and
 * before a plain end (曾荫权销售, not 曾有过违法行为, 时年45岁, 全额缴纳).
 */
function adverbSurnameGiven(surname: string, after: string, len: number): boolean {
  const given = [...after.slice(0, len)];
  if (!GIVEN_NAME_CHARS.has(after[0]) && startsAfterNameWord(after)) return false;
  const word = wordAt(after);
  if (word && word.length <= len && ![...word].every((c) => GIVEN_NAME_CHARS.has(c))) return false;
  if (given.every((c) => GIVEN_NAME_CHARS.has(c))) return true;
  return surname === '曾' && !given.some((c) => NEVER_GIVEN.has(c)) && plainEnd(after.slice(len), false);
}

/**
 * The personal name at the start of `s` (the text after a cue word), or null: a name known from the case,
 * else a surname with a 1–2 character given name. Which length is decided by what follows (see
 * `givenEndsBefore`); the name never takes a character of the following word, since the mask replaces it.
 */
function nameAt(s: string, known: readonly string[]): string | null {
  const k = known.find((n) => s.startsWith(n));
  if (k) return k;
  const compound = COMPOUND_SURNAMES.find((c) => s.startsWith(c));
  if (!compound && !SURNAMES.has(s[0])) return null;
  const surname = compound ?? s[0];
  const after = s.slice(surname.length);
  // The preposition 于 before a time or place (当事人于次日到场, 于本月, 于二〇二六年三月, 于家中, 于现场).
  if (!compound && s[0] === '于' && AFTER_YU.test(after)) return null;
  // A given name beginning with a stop word is checked on its own terms, even where the segmentation reads
  // the surname and that word as one (高于飞, 方向东): a false mask is the lesser harm.
  if (stopWordGivenAt(s, surname.length)) return s.slice(0, surname.length + 2);
  if (givenEndingInHeAt(after)) return s.slice(0, surname.length + 2);
  // 于, 向, 和 before a demonstrative are the preposition or conjunction (向本机关, 和这些).
  if (!compound && isStopChar(s[0]) && NEVER_GIVEN.has(after[0])) return null;
  const stop = after.search(NAME_STOP);
  let len = Math.min(/^[\u4e00-\u9fa5]{0,2}/u.exec(after)?.[0].length ?? 0, stop === -1 ? 2 : stop);
  if (len < 1) return null;
  // A single surname that the segmentation reads as part of a word with a character seldom found in given
  // names is that word, not a name (证人明确表示, 其妻子陈述称).
  const word = compound ? '' : wordAt(s);
  if (word && !GIVEN_NAME_CHARS.has(after[0])) return null;
  // A surname that is itself a stop word (于, 和, 向) before a dictionary word beginning with a character
  // seldom found in given names is the preposition (当事人于当日到场, 于上述时间, 向执法人员, 和他人).
  if (!compound && isStopChar(s[0]) && !GIVEN_NAME_CHARS.has(after[0]) && wordAt(after)) return null;
  if (len === 2 && givenEndsBefore(after.slice(1))) len = 1;
  // After a compound surname, a dictionary word not made of given-name characters is that word (欧阳食品店).
  const givenWord = compound ? wordAt(after) : '';
  if (givenWord && givenWord.length <= len && ![...givenWord].every((c) => GIVEN_NAME_CHARS.has(c))) return null;
  if (!compound && ADVERB_SURNAMES.has(s[0]) && !adverbSurnameGiven(s[0], after, len)) return null;
  // A trade name's mark 记 (李记面馆, 陈记饭店) begins no given name, and 省, 市, 县, 区, 村 end none: a place
  // (余杭区某公司, 高新区, 宋庄村委会).
  if (after[0] === '记' || (len === 2 && PLACE_END.has(after[1]))) return null;
  return s.slice(0, surname.length + len);
}

/**
 * How a name found in a text is read: a person's name, masked wherever it occurs, or the beginning of an
 * organisation's name after a cue (当事人华东商贸有限公司 → 华东商, 当事人万元食品店 → 万元, 当事人刘敏美容店 →
 * 刘敏): legal persons' and trade names are public, so it is masked only where it reads as a person's elsewhere
 * (`readsAsSubject`: 刘敏于2026年…, not 销往华东等地, 罚款人民币5万元, 金华市).
 */
export type NameReading = 'person' | 'organisation-start';

/** Every person's name in `text`: the known ones (2+ characters) and those found after a cue word. */
export function personNamesIn(text: string, personNames: readonly string[]): Map<string, NameReading> {
  const known = personNames.filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  const names = new Map<string, NameReading>(known.map((n) => [n, 'person']));
  // Cues may overlap (其女儿: 其女, 女儿), so the search resumes one character after each cue found.
  const cues = new RegExp(CUE_BEFORE_NAME);
  for (let m = cues.exec(text); m; m = cues.exec(text)) {
    cues.lastIndex = m.index + 1;
    const cue = m[0].replace(/[：:，, ]$/u, '');
    const end = m.index + cue.length;
    const isWord = startsWord(text, m.index) && (startsWord(text, end) || startsWord(text, end + 1));
    if (RELATION_CUE_SET.has(cue) && !isWord) continue;
    const from = m.index + m[0].length;
    const name = nameAt(text.slice(from, from + 12), known);
    if (!name) continue;
    if (names.get(name) !== 'person' && organisationAfter(name, text.slice(from + name.length, from + 40))) {
      names.set(name, 'organisation-start');
      continue;
    }
    names.set(name, 'person');
    // Names listed after it share the cue (证人张伟和李娜在场, 当事人王强、刘敏共同经营): see joined-names.ts.
    const listed = namesJoinedAt(
      text,
      from + name.length,
      (s) => nameAt(s, known),
      (r) => plainEnd(r, false),
    );
    for (const n of listed) names.set(n, 'person');
  }
  return names;
}

/**
 * Whether `name` at `at` in `text` reads as a clause's subject: it starts the text or follows punctuation, a
 * word that follows names comes next, and it begins no organisation's name there (，刘敏于2026年, 。刘敏称; not
 * 销往华东等地, 在华东销售, ，华东地区, 。华联超市负责人).
 */
export function readsAsSubject(text: string, at: number, name: string): boolean {
  const rest = text.slice(at + name.length, at + name.length + 40);
  return !CJK.test(text[at - 1] ?? '') && startsAfterNameWord(rest) && !organisationAfter(name, rest);
}
