/**
 * What ends a personal name in decision texts, shared by the name reading (person-names.ts), the lists of
 * names (joined-names.ts) and the organisation names (organisation-names.ts): stop words (于, 在, 的, 公司, a
 * cue word …) and the function words and verbs of the lists in name-words.ts (销售, 开设, 也, 店).
 */

import { AFTER_NAME_CHARS, AFTER_NAME_WORDS, RELATION_CUES, ROLE_CUES } from './name-words.js';

/** The words as one regular-expression alternation, longest first. */
const byLength = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length).join('|');

/** The cue words as one alternation, longest first (organisation names never run through one). */
export const CUE_PATTERN = byLength([...ROLE_CUES, ...RELATION_CUES]);

export const NAME_STOP = new RegExp(
  `(?:有限|公司|某|系|于|在|对|因|的|与|和|及|未|已|将|称|等|经|自|向|为|是|现|同|个体|本人|其|无|${CUE_PATTERN})`,
  'u',
);

/** Whether the character `c` is a stop word by itself: 于, 在, 和, 自, 为 … (not 个 of 个体). */
export const isStopChar = (c: string) => c.length === 1 && NAME_STOP.test(c);

const LISTED_WORD = new RegExp(`^(?:${byLength(AFTER_NAME_WORDS)})`, 'u');
/** The verb of the lists `s` starts with (销售, 开设), or ''. */
export const listedWordAt = (s: string) => LISTED_WORD.exec(s)?.[0] ?? '';
/** Whether `s` starts with a word of the lists: a function word or verb that follows names (销售, 开设, 也). */
export const startsListedWord = (s: string) => AFTER_NAME_CHARS.has(s[0]) || LISTED_WORD.test(s);

/** Whether `s` starts with what usually follows a name: a function word or verb of the lists, or a stop word. */
export function startsAfterNameWord(s: string): boolean {
  return startsListedWord(s) || NAME_STOP.exec(s)?.index === 0;
}
