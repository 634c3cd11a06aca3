/**
 * Chinese full-text search without a segmenter: text is indexed as overlapping two-character tokens
 * (bigrams) of each run of Han characters, plus whole lower-cased words of letters and digits. A query is
 * tokenised the same way and every token must match; a one-character query matches as a prefix of bigrams.
 * Tokens go to PostgreSQL verbatim (array_to_tsvector, a quoted tsquery), so no text-search parser or
 * locale is involved and the 'simple' semantics hold whatever the database's collation.
 */

// Han runs, and runs of other letters/digits (Han excluded, so 12号 gives 12 and 号).
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Index tokens of a text, deduplicated. */
export function bigramTokens(text: string): string[] {
  const out = new Set<string>();
  for (const m of normalise(text).matchAll(RUNS)) {
    if (m[1]) {
      const chars = [...m[1]];
      if (chars.length === 1) out.add(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
    } else if (m[2]) {
      out.add(m[2].slice(0, 64));
    }
  }
  return [...out];
}

/**
 * Query terms. Exact tokens, except a prefix where the user may have typed part of a token: a query of one
 * Han character (a prefix of bigrams), and the last word of letters/digits (part of a number).
 */
function queryTerms(query: string): { token: string; prefix: boolean }[] {
  const out: { token: string; prefix: boolean }[] = [];
  for (const m of normalise(query).matchAll(RUNS)) {
    if (m[1]) {
      const chars = [...m[1]];
      if (chars.length === 1) out.push({ token: chars[0], prefix: false });
      for (let i = 0; i + 1 < chars.length; i++) out.push({ token: chars[i] + chars[i + 1], prefix: false });
    } else if (m[2]) {
      out.push({ token: m[2].slice(0, 64), prefix: false });
    }
  }
  const last = out[out.length - 1];
  if (last && (out.length === 1 || !/\p{Script=Han}/u.test(last.token))) last.prefix = true;
  return out.slice(0, 32);
}

/**
 * A tsquery source ANDing every query term. Tokens hold only letters and digits, so quoting them is safe.
 * Null when the query has no searchable token.
 */
export function bigramTsquery(query: string): string | null {
  const terms = queryTerms(query);
  if (terms.length === 0) return null;
  return terms.map((t) => `'${t.token}'${t.prefix ? ':*' : ''}`).join(' & ');
}

/** The normalised query text, for an exact substring re-check of bigram matches. */
export function normalisedQuery(query: string): string {
  return normalise(query).replace(/\s+/g, ' ').trim();
}

export function normalisedText(text: string): string {
  return normalise(text);
}
