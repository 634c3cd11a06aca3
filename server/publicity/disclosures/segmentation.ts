/**
 * ICU dictionary word segmentation of decision texts (full-ICU Node builds have it), for reading names
 * (person-names.ts, joined-names.ts); without it only the word lists decide.
 */

const WORDS = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('zh', { granularity: 'word' }) : null;
export const CJK = /^[\u4e00-\u9fa5]/u;

/** The dictionary word (2+ characters) the segmentation starts at the beginning of `s`, or ''. */
export function wordAt(s: string): string {
  if (!WORDS || !CJK.test(s)) return '';
  const w = WORDS.segment(s.slice(0, 10)).containing(0);
  return w?.isWordLike && w.index === 0 && w.segment.length >= 2 ? w.segment : '';
}

/** Whether the segmentation starts a word at `at` in `text` (true without a segmenter). */
export function startsWord(text: string, at: number): boolean {
  if (!WORDS) return true;
  const from = Math.max(0, at - 8);
  const w = WORDS.segment(text.slice(from, at + 10)).containing(at - from);
  return !w || w.index === at - from;
}
