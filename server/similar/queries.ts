import { sql } from 'kysely';
import type { Database } from '../database/connect.js';

/** How much a shared term counts beside its rarity: a cited article and the catalogue item say more than a word. */
const KIND_WEIGHT = { a: 3, i: 2 } as Record<string, number>;
/** The rarest terms of a case that rank its neighbours (the rest seldom changes the order). */
const QUERY_TERMS = 12;
/** Words that find candidates besides the articles and the item: the rarest few. */
const FINDING_WORDS = 4;
/** Once the city has this many decided cases, a word most of them share (经查, 当事人, 销售…) is no evidence. */
const COMMON_FROM = 100;
const COMMON_SHARE = 0.1;
/** …and a word finds candidates only if at most this share of the cases hold it. */
const FINDING_SHARE = 0.02;

export interface WeightedTerm {
  term: string;
  weight: number;
  /** Whether the term finds candidates through the GIN index (articles, item, the rarest words). */
  finds: boolean;
}

/** A lexeme as tsquery input: quoted, so `a:产品质量法#49.0` is one lexeme and not a weight or prefix marker. */
const lexeme = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const strong = (t: string) => /^[ai]:/.test(t);

/**
 * The case's terms weighted by idf over the indexed cases (× the kind's weight). Terms no case holds, and words
 * most cases hold, are dropped; the articles, the item and the rarest words find the candidates.
 */
export async function weightTerms(db: Database, terms: string[]): Promise<WeightedTerm[]> {
  if (!terms.length) return [];
  const rows = await sql<{ term: string; df: number }>`
    SELECT term, df FROM similar_terms
    WHERE term = ANY (ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify([...terms, ''])}::jsonb))) AND df > 0`.execute(
    db,
  );
  const df = new Map(rows.rows.map((r) => [r.term, Number(r.df)]));
  const n = df.get('') ?? 0;
  const common = (t: string) => n >= COMMON_FROM && df.get(t)! > n * COMMON_SHARE;
  const weighted = terms
    .filter((t) => t !== '' && df.has(t) && (strong(t) || !common(t)))
    .map((t) => {
      const d = df.get(t)!;
      const kind = /^([ai]):/.exec(t)?.[1];
      return { term: t, df: d, weight: Math.log(1 + (n - d + 0.5) / (d + 0.5)) * (kind ? KIND_WEIGHT[kind] : 1) };
    })
    .sort((x, y) => y.weight - x.weight || x.term.localeCompare(y.term))
    .slice(0, QUERY_TERMS);
  const finding = new Set(
    weighted
      .filter((t) => !strong(t.term) && (n < COMMON_FROM || t.df <= n * FINDING_SHARE))
      .slice(0, FINDING_WORDS)
      .map((t) => t.term),
  );
  return weighted.map(({ term, weight }) => ({ term, weight, finds: strong(term) || finding.has(term) }));
}

export interface Neighbour {
  case_id: string;
  department_id: string;
  fine: string | null;
  decided_on: string | null;
  score: number;
}

/**
 * Decided cases of the category that share an article, the item or one of the rarest words (the GIN index finds
 * them), scored by the weights of all the terms they share; best first, then the most recently decided. With
 * `recentDays`, only those decided within that many days of the category's latest decision: the index on
 * (category, decided_on) narrows the GIN's candidates before any row is read, so an article most of a category's
 * cases cite costs a year of them, not every year's.
 */
export async function nearestCases(
  db: Database,
  q: {
    caseId: string;
    category: string;
    terms: WeightedTerm[];
    minScore: number;
    limit: number;
    recentDays?: number;
  },
): Promise<Neighbour[]> {
  const finding = q.terms.filter((t) => t.finds);
  if (!finding.length) return [];
  const any = finding.map((t) => lexeme(t.term)).join(' | ');
  // A case citing one of the same articles (or under the same catalogue item) is of the same violation: it counts
  // whatever its facts say; otherwise the shared words must weigh enough.
  const same = q.terms.filter((t) => strong(t.term)).map((t) => lexeme(t.term));
  const qualifies = same.length
    ? sql`(x.score >= ${q.minScore}::float8 OR x.terms @@ ${same.join(' | ')}::tsquery)`
    : sql`x.score >= ${q.minScore}::float8`;
  const score = sql.join(
    q.terms.map((t) => sql`CASE WHEN s.terms @@ ${lexeme(t.term)}::tsquery THEN ${t.weight}::float8 ELSE 0 END`),
    sql` + `,
  );
  const recent =
    q.recentDays === undefined
      ? sql``
      : sql`AND s.decided_on >= (SELECT max(m.decided_on) FROM similar_cases m WHERE m.category = ${q.category})
          - ${q.recentDays}::int`;
  const rows = await sql<Neighbour>`
    SELECT x.case_id, x.department_id, x.fine, x.decided_on, x.score FROM (
      SELECT s.case_id, s.department_id, s.fine::text AS fine, to_char(s.decided_on, 'YYYY-MM-DD') AS decided_on,
        s.terms, (${score}) AS score
      FROM similar_cases s
      WHERE s.terms @@ ${any}::tsquery AND s.category = ${q.category} AND s.case_id <> ${q.caseId} ${recent}
    ) x
    WHERE ${qualifies}
    ORDER BY x.score DESC, x.decided_on DESC NULLS LAST, x.case_id
    LIMIT ${q.limit}`.execute(db);
  return rows.rows.map((r) => ({ ...r, score: Number(r.score) }));
}

export interface CaseCard {
  id: string;
  case_number: string;
  title: string;
  department_id: string;
  department_name: string;
  party_name: string | null;
  party_id_code: string | null;
  legal_basis: { law: string; article: string }[] | string | null;
}

/** What a result shows of each case; only cases still decided. */
export async function caseCards(db: Database, ids: string[]): Promise<Map<string, CaseCard>> {
  if (!ids.length) return new Map();
  const rows = await sql<CaseCard>`
    SELECT c.id, c.case_number, c.title, c.department_id, d.name AS department_name,
      c.packet->'party'->>'name' AS party_name, c.packet->'party'->>'idCode' AS party_id_code,
      c.packet->'legalBasis' AS legal_basis
    FROM cases c JOIN departments d ON d.id = c.department_id
    WHERE c.id = ANY (ARRAY(SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)) AND c.status = 'decided'`.execute(
    db,
  );
  return new Map(rows.rows.map((r) => [r.id, r]));
}
