import type { Database } from '../database/connect.js';
import type { Clock } from '../infra/clock.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { parseCitation } from './citations.js';
import type { Segmenter } from './segment.js';
import { type ArticleIndex, bm25, buildArticleIndex, libraryStamp } from './suggest-index.js';

export type SuggestCategory = 'licensing' | 'penalty' | 'coercion' | 'levy';

export interface SuggestInput {
  facts: string;
  /** 案件名称, usually naming the violation (销售不合格产品案). */
  title?: string;
  category?: SuggestCategory;
  /** Legal bases the department declares: its powers list (职权事项清单) and its catalogue items (目录清单). */
  powersBases?: string[];
  catalogueBases?: string[];
  limit?: number;
}

export interface Suggestion {
  articleId: string;
  lawId: string;
  lawTitle: string;
  article: string;
  number: number;
  sub: number;
  chapter: string | null;
  excerpt: string;
  score: number;
  /** Why it was moved up: the powers list or the catalogue cites this article (or its law). */
  boosts: string[];
  href: string;
}

/** The chapter a violation type's provisions live in: 法律责任 for a penalty, and so on. */
const CHAPTERS: Record<SuggestCategory, RegExp> = {
  penalty: /法律责任|罚则|处罚/,
  licensing: /许可|审批|登记/,
  coercion: /强制|查封|扣押/,
  levy: /征收|征用|补偿/,
};
const CHAPTER_BOOST = 1.3;
const ARTICLE_BOOST = 2;
const LAW_BOOST = 1.4;

/** The words of a query: two characters or more, no bare numbers (amounts, dates and counts say nothing of the law). */
export function queryTerms(seg: Segmenter, text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const t of seg.tokens(text)) {
    if ([...t].length < 2 || /^[\d.,，]+$/.test(t)) continue;
    terms.set(t, (terms.get(t) ?? 0) + 1);
  }
  return terms;
}

/** Laws and articles a list of legal-basis strings cites, keyed like the index (short title, number.sub). */
function cited(bases: string[] | undefined) {
  const laws = new Set<string>();
  const articles = new Set<string>();
  for (const b of bases ?? []) {
    for (const r of parseCitation(b) ?? []) {
      laws.add(r.law);
      articles.add(`${r.law}#${r.article}.${r.sub}`);
    }
  }
  return { laws, articles };
}

function excerptOf(text: string, terms: string[]): string {
  const at = terms.map((t) => text.indexOf(t)).find((i) => i >= 0) ?? 0;
  const start = Math.max(0, at - 30);
  const chars = [...text.slice(start)];
  return `${start > 0 ? '…' : ''}${chars.slice(0, 150).join('')}${chars.length > 150 ? '…' : ''}`;
}

/** The articles the department's lists cite, and the other articles of the laws they cite: factor and reasons. */
function boostsOf(idx: ArticleIndex, lists: [string, ReturnType<typeof cited>][]) {
  const out = new Map<number, { factor: number; reasons: string[] }>();
  const add = (doc: number, factor: number, reason: string) => {
    const b = out.get(doc) ?? { factor: 1, reasons: [] };
    b.factor *= factor;
    b.reasons.push(reason);
    out.set(doc, b);
  };
  for (const [name, set] of lists) {
    const direct = new Set<number>();
    for (const key of set.articles) {
      const doc = idx.byKey.get(key);
      if (doc !== undefined) direct.add(doc);
    }
    for (const doc of direct) add(doc, ARTICLE_BOOST, `${name}引用本条`);
    for (const law of set.laws) {
      for (const doc of idx.byLaw.get(law) ?? []) if (!direct.has(doc)) add(doc, LAW_BOOST, `${name}引用本法`);
    }
  }
  return out;
}

/** The k best articles by the adjusted score (ties: library order), without sorting every match. */
function topK(scores: Float64Array, k: number, adjust: (doc: number, score: number) => number) {
  const best: { doc: number; score: number }[] = [];
  for (let doc = 0; doc < scores.length; doc++) {
    if (scores[doc] <= 0) continue;
    const score = adjust(doc, scores[doc]);
    if (best.length === k && score <= best[k - 1].score) continue;
    let i = best.length === k ? k - 1 : best.length;
    while (i > 0 && best[i - 1].score < score) i--;
    best.splice(i, 0, { doc, score });
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * Article suggestion (精准推送): one per process role, holding the index of the library in force today and
 * rebuilding it when the library's stamp changes (a version uploaded, an article corrected, a new day).
 */
export function createSuggester(db: Database, seg: Segmenter, clock: Clock) {
  let built: { stamp: string; index: Promise<ArticleIndex> } | null = null;

  async function index(): Promise<ArticleIndex> {
    const today = instantToShanghaiDate(clock.now());
    const stamp = await libraryStamp(db, today);
    if (!built || built.stamp !== stamp) {
      const index = buildArticleIndex(db, today, stamp);
      built = { stamp, index };
      index.catch(() => {
        if (built?.index === index) built = null;
      });
    }
    return built.index;
  }

  async function suggest(input: SuggestInput): Promise<Suggestion[]> {
    const terms = queryTerms(seg, `${input.title ?? ''}\n${input.facts}`);
    if (!terms.size) return [];
    const idx = await index();
    const scores = bm25(idx, terms);
    const boosts = boostsOf(idx, [
      ['职权事项清单', cited(input.powersBases)],
      ['目录清单', cited(input.catalogueBases)],
    ]);
    const chapter = input.category ? CHAPTERS[input.category] : null;
    // Articles share few chapter titles: each is tested once per query.
    const chapterHit = new Map<string, boolean>();
    const inChapter = (title: string | null) => {
      if (!chapter || !title) return false;
      let hit = chapterHit.get(title);
      if (hit === undefined) {
        hit = chapter.test(title);
        chapterHit.set(title, hit);
      }
      return hit;
    };
    const top = topK(scores, input.limit ?? 10, (doc, score) => {
      const factor = boosts.get(doc)?.factor ?? 1;
      return score * factor * (inChapter(idx.articles[doc].chapter) ? CHAPTER_BOOST : 1);
    }).map(({ doc, score }) => ({ doc, score, boosts: boosts.get(doc)?.reasons ?? [] }));
    if (!top.length) return [];
    const texts = new Map(
      (
        await db
          .selectFrom('law_articles')
          .select(['id', 'text'])
          .where(
            'id',
            'in',
            top.map((t) => idx.articles[t.doc].id),
          )
          .execute()
      ).map((r) => [r.id, r.text] as const),
    );
    const byWeight = [...terms.keys()].sort(
      (x, y) => (idx.postings.get(x)?.docs.length ?? 1e9) - (idx.postings.get(y)?.docs.length ?? 1e9),
    );
    return top.map(({ doc, score, boosts }) => {
      const a = idx.articles[doc];
      return {
        articleId: a.id,
        lawId: a.lawId,
        lawTitle: a.title,
        article: a.label,
        number: a.number,
        sub: a.sub,
        chapter: a.chapter,
        excerpt: excerptOf(texts.get(a.id) ?? '', byWeight),
        score: Math.round(score * 1000) / 1000,
        boosts,
        href: `/api/laws/${a.lawId}/articles/${a.sub ? `${a.number}.${a.sub}` : a.number}`,
      };
    });
  }

  return { suggest, warm: () => index().then(() => undefined) };
}

export type Suggester = ReturnType<typeof createSuggester>;
