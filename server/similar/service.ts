import type { Packet } from '../cases/tables.js';
import type { Database } from '../database/connect.js';
import { maskIdCode, maskName } from '../export/mask.js';
import type { Segmenter } from '../laws/segment.js';
import { caseTerms, fineOf } from './features.js';
import { caseCards, nearestCases, weightTerms } from './queries.js';
import { catchUp, indexBehind } from './sync.js';

/** A case is judged against at least this many similar cases with a fine; fewer make no range. */
export const MIN_RANGE_CASES = 3;
/** A neighbour must share at least this share of the case's weighted terms (else it is merely of the same kind). */
const MIN_SHARE = 0.2;
/**
 * Similar cases are looked for among the category's decisions of the last year (up to its latest) first: the
 * practice a fine is compared with is the current one, and a search costs a year's cases however long the city's
 * history (bench/million.ts).
 */
export const RECENT_DAYS = 365;
/**
 * A search first takes in at most this many decided cases not yet indexed (about 0.2 s at bench/million's rate of
 * 9,300 a second): the cases decided since the last search, as a rule. A larger backlog (a database upgraded with
 * a million decided cases) is the worker's to index (server/main.ts), not a user's request.
 */
export const SEARCH_CATCH_UP = 2_000;

export interface SimilarItem {
  caseId: string;
  caseNumber: string;
  title: string;
  agency: string;
  decidedOn: string | null;
  articles: string[];
  penalty: number | null;
  score: number;
  party: { name: string; idCode: string; masked: boolean };
  href: string;
}

export interface SimilarResult {
  items: SimilarItem[];
  /** The fine the case's proposal writes, in yuan (null when it writes none). */
  proposal: number | null;
  range: { min: number; max: number; cases: number } | null;
  /** Where the proposal lies against the range: null inside it, or when there is no range or no proposal. */
  outside: 'below' | 'above' | null;
  /**
   * The index is still taking in decided cases (a backlog larger than a search takes in itself, as after an upgrade
   * of a database with many decided cases): the search saw only those indexed so far.
   */
  indexing: boolean;
}

export interface SimilarCaseInput {
  id: string;
  department_id: string;
  packet: Packet;
  catalogue_item?: unknown;
}

const yuan = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}元`;

/** A search's finding before it is shown to anyone: the nearest cases, their cards and the case's total weight. */
interface Found {
  near: Awaited<ReturnType<typeof nearestCases>>;
  cards: Awaited<ReturnType<typeof caseCards>>;
  total: number;
  indexing: boolean;
}

async function find(db: Database, seg: Segmenter, c: SimilarCaseInput, limit: number, bound: number): Promise<Found> {
  // Stopped at its bound: more may wait, for the worker to index.
  const indexing = (await catchUp(db, seg, bound)) >= bound && (await indexBehind(db));
  const packet = c.packet;
  const terms = await weightTerms(db, caseTerms(seg, packet, c.catalogue_item ?? null));
  const total = terms.reduce((s, t) => s + t.weight, 0);
  const query = { caseId: c.id, category: packet.category, terms, minScore: total * MIN_SHARE, limit: limit + 5 };
  // The last year of the category's decisions first: as the city's history grows, a search reads a year of
  // candidates, not every year's. Every year when that year holds too few similar cases.
  let near = await nearestCases(db, { ...query, recentDays: RECENT_DAYS });
  if (near.length < query.limit) near = await nearestCases(db, query);
  const cards = await caseCards(
    db,
    near.map((n) => n.case_id),
  );
  return { near, cards, total, indexing };
}

/** The finding as `viewerDepartmentId` may see it (see `SimilarSearch.search`). */
function present(
  { near, cards, total, indexing }: Found,
  c: SimilarCaseInput,
  viewerDepartmentId: string | null,
  limit: number,
): SimilarResult {
  const items: SimilarItem[] = [];
  for (const n of near) {
    const card = cards.get(n.case_id);
    if (!card || items.length >= limit) continue;
    const basis = (typeof card.legal_basis === 'string' ? JSON.parse(card.legal_basis) : card.legal_basis) ?? [];
    const masked = viewerDepartmentId !== card.department_id;
    const name = card.party_name ?? '';
    const idCode = card.party_id_code ?? '';
    items.push({
      caseId: card.id,
      caseNumber: card.case_number,
      title: masked && name ? card.title.split(name).join(maskName(name)) : card.title,
      agency: card.department_name,
      decidedOn: n.decided_on,
      articles: (basis as { law: string; article: string }[]).map((b) => `${b.law}${b.article}`),
      penalty: n.fine === null ? null : Number(n.fine),
      score: Math.round((n.score / (total || 1)) * 100) / 100,
      party: masked ? { name: maskName(name), idCode: maskIdCode(idCode), masked } : { name, idCode, masked },
      href: `/cases/${card.id}`,
    });
  }
  const fines = items.map((i) => i.penalty).filter((p): p is number => p !== null);
  const range =
    fines.length >= MIN_RANGE_CASES ? { min: Math.min(...fines), max: Math.max(...fines), cases: fines.length } : null;
  const proposal = fineOf(c.packet.proposedDecision ?? '');
  const outside =
    range && proposal !== null ? (proposal < range.min ? 'below' : proposal > range.max ? 'above' : null) : null;
  return { items, proposal, range, outside, indexing };
}

/**
 * An app's similar-cases searches. Searches of the same case running at the same time share one: a case page
 * under review asks twice at once (its similar-cases section and the 同案同罚 hint), and each would read the same
 * index for the same answer. Nothing is kept once a search has answered, so no answer is older than its request.
 */
export class SimilarSearch {
  private readonly running = new Map<string, Promise<Found>>();

  constructor(
    private readonly db: Database,
    private readonly seg: Segmenter,
    /** How many decided cases not yet indexed a search takes in itself. */
    private readonly catchUpBound = SEARCH_CATCH_UP,
  ) {}

  /**
   * The most similar decided cases of the city (same category; shared articles, catalogue item and words of the
   * facts) with their fines, and whether the case's proposal lies outside their range. Party names and codes are
   * masked unless the viewer belongs to the similar case's department (`viewerDepartmentId` null masks all).
   */
  async search(c: SimilarCaseInput, viewerDepartmentId: string | null, limit = 10): Promise<SimilarResult> {
    // The case as searched: a packet or item changed since the running search began is a different search.
    const key = JSON.stringify([c.id, limit, c.packet, c.catalogue_item ?? null]);
    let found = this.running.get(key);
    if (!found) {
      found = find(this.db, this.seg, c, limit, this.catchUpBound).finally(() => this.running.delete(key));
      this.running.set(key, found);
    }
    return present(await found, c, viewerDepartmentId, limit);
  }
}

/**
 * The finding in words, for the page and the hint (no party data: case numbers and amounts only). While the index
 * is still being built it says so too, unless `noteIndexing` is false (the page, which says it in its own notice).
 */
export function deviationText(r: SimilarResult, noteIndexing = true): string | null {
  if (!r.outside || !r.range || r.proposal === null) return null;
  const numbers = r.items
    .filter((i) => i.penalty !== null)
    .map((i) => `${i.caseNumber}（${yuan(i.penalty!)}）`)
    .join('、');
  return `拟作出的决定罚款 ${yuan(r.proposal)}，${r.outside === 'above' ? '高于' : '低于'}本市 ${r.range.cases} 件相似已决案件的罚款幅度（${yuan(r.range.min)} 至 ${yuan(r.range.max)}）：${numbers}。同案同罚，请核实裁量是否适当，或在裁量说明中写明理由。${r.indexing && noteIndexing ? '（相似案件索引尚在建立，比较的案件可能不全。）' : ''}`;
}
