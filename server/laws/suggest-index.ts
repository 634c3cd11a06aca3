import { sql } from 'kysely';
import type { Database } from '../database/connect.js';

/**
 * An in-memory BM25 index over the articles of the versions in force today (精准推送). Articles are already
 * segmented in law_articles.tokens (jieba search mode), so building is a read and a count; a query is a walk over
 * the postings of its terms, a few milliseconds for the whole library, which an SQL ranking (ts_rank has no idf,
 * and an OR query over common words touches most of the library) could not promise on PGlite.
 */
export interface IndexedArticle {
  id: string;
  lawId: string;
  title: string;
  shortTitle: string;
  number: number;
  sub: number;
  label: string;
  chapter: string | null;
}

interface Postings {
  docs: Int32Array;
  tfs: Uint16Array;
}

export interface ArticleIndex {
  articles: IndexedArticle[];
  postings: Map<string, Postings>;
  lengths: Float32Array;
  avgLength: number;
  /** Each article by `<short title>#<number>.<sub>`, and each law's articles by short title (for the boosts). */
  byKey: Map<string, number>;
  byLaw: Map<string, number[]>;
  /** What the index was built from; a different stamp means rebuild. */
  stamp: string;
}

const K1 = 1.2;
const B = 0.75;

/** Changes when a version is added, an article corrected, a law repealed, or the day (and so what is in force) changes. */
export async function libraryStamp(db: Database, today: string): Promise<string> {
  const r = await sql<{ s: string }>`
    SELECT concat_ws('/',
      (SELECT count(*) FROM law_versions), (SELECT max(created_at) FROM law_versions),
      (SELECT count(*) FROM law_article_revisions), (SELECT count(*) FROM law_laws WHERE repealed_on IS NOT NULL)
    ) AS s`.execute(db);
  return `${today}/${r.rows[0]?.s ?? ''}`;
}

/** Reads the articles of every version in force on `today` (not repealed by then) and indexes their tokens. */
export async function buildArticleIndex(db: Database, today: string, stamp: string): Promise<ArticleIndex> {
  const rows = await sql<{
    id: string;
    law_id: string;
    title: string;
    short_title: string;
    number: number;
    sub: number;
    label: string;
    chapter: string | null;
    tokens: string;
  }>`
    WITH in_force AS (
      SELECT DISTINCT ON (v.law_id) v.id, v.law_id
      FROM law_versions v JOIN law_laws l ON l.id = v.law_id
      WHERE v.effective_on <= ${today} AND (l.repealed_on IS NULL OR l.repealed_on > ${today})
      ORDER BY v.law_id, v.effective_on DESC
    )
    SELECT a.id, f.law_id, l.title, l.short_title, a.number, a.sub, a.label, a.chapter, a.tokens
    FROM in_force f JOIN law_articles a ON a.version_id = f.id JOIN law_laws l ON l.id = f.law_id
    ORDER BY l.title, a.number, a.sub`.execute(db);
  const lists = new Map<string, { docs: number[]; tfs: number[] }>();
  const lengths = new Float32Array(rows.rows.length);
  const articles: IndexedArticle[] = [];
  const byKey = new Map<string, number>();
  const byLaw = new Map<string, number[]>();
  let total = 0;
  rows.rows.forEach((r, doc) => {
    const counts = new Map<string, number>();
    const words = r.tokens.split(' ').filter(Boolean);
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, tf] of counts) {
      let list = lists.get(w);
      if (!list) {
        list = { docs: [], tfs: [] };
        lists.set(w, list);
      }
      list.docs.push(doc);
      list.tfs.push(Math.min(tf, 65535));
    }
    lengths[doc] = words.length;
    byKey.set(`${r.short_title}#${r.number}.${r.sub}`, doc);
    const ofLaw = byLaw.get(r.short_title);
    if (ofLaw) ofLaw.push(doc);
    else byLaw.set(r.short_title, [doc]);
    total += words.length;
    articles.push({
      id: r.id,
      lawId: r.law_id,
      title: r.title,
      shortTitle: r.short_title,
      number: r.number,
      sub: r.sub,
      label: r.label,
      chapter: r.chapter,
    });
  });
  const postings = new Map<string, Postings>();
  for (const [w, l] of lists) postings.set(w, { docs: Int32Array.from(l.docs), tfs: Uint16Array.from(l.tfs) });
  return { articles, postings, lengths, avgLength: total / Math.max(1, articles.length), byKey, byLaw, stamp };
}

/** BM25 scores of the query terms (with their counts in the query), indexed by article; 0 where none matched. */
export function bm25(index: ArticleIndex, terms: Map<string, number>): Float64Array {
  const n = index.articles.length;
  const scores = new Float64Array(n);
  for (const [term, qtf] of terms) {
    const p = index.postings.get(term);
    if (!p) continue;
    const df = p.docs.length;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const weight = idf * Math.min(qtf, 3);
    for (let i = 0; i < df; i++) {
      const doc = p.docs[i];
      const tf = p.tfs[i];
      const norm = tf + K1 * (1 - B + (B * index.lengths[doc]) / index.avgLength);
      scores[doc] += (weight * (tf * (K1 + 1))) / norm;
    }
  }
  return scores;
}
