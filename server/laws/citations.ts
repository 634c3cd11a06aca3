import { parseNumeral } from './numerals.js';
import { shortTitle } from './segment.js';

/** One article reference of a legal-basis string: 《产品质量法》第四十九条第一款第（二）项 -> law, 49, 0, 1, 2. */
export interface CitationRef {
  law: string;
  article: number;
  sub: number;
  paragraph: number | null;
  item: number | null;
}

const N = '[零〇一二两三四五六七八九十百千0-9０-９]+';
const PART = new RegExp(
  `第(${N})条(?:之(${N}))?(?:第(${N})款)?(?:第?[（(]?(${N})[）)]?项)?(?:\\s*(至|到|-|—|~)\\s*第(${N})条)?`,
  'g',
);

/**
 * Splits a legal-basis string into article references. Several laws and several articles per law are allowed
 * (第十条、第十二条; 第十条至第十二条, a range at most 50 articles long). Returns null when the string names no
 * law in 《》 or a law without any 第N条 (status invalid).
 */
export function parseCitation(input: string): CitationRef[] | null {
  const laws = [...input.matchAll(/《([^》]+)》/g)];
  if (!laws.length) return null;
  const refs: CitationRef[] = [];
  for (let i = 0; i < laws.length; i++) {
    const law = shortTitle(laws[i][1]);
    const tail = input.slice(laws[i].index + laws[i][0].length, laws[i + 1]?.index ?? input.length);
    let found = false;
    for (const m of tail.matchAll(PART)) {
      const article = parseNumeral(m[1]);
      if (article === null) continue;
      found = true;
      const sub = m[2] ? (parseNumeral(m[2]) ?? 0) : 0;
      const paragraph = m[3] ? parseNumeral(m[3]) : null;
      const item = m[4] ? parseNumeral(m[4]) : null;
      const to = m[6] ? parseNumeral(m[6]) : null;
      if (to !== null && to > article && to - article <= 50) {
        for (let n = article; n <= to; n++) refs.push({ law, article: n, sub: 0, paragraph: null, item: null });
      } else refs.push({ law, article, sub, paragraph, item });
    }
    if (!found) return null;
  }
  return refs;
}
