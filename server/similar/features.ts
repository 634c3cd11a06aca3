import { writtenAmounts } from '../cases/amounts.js';
import type { ChiefDecision, Packet, RecordedDecision } from '../cases/tables.js';
import { parseCitation } from '../laws/citations.js';
import type { Segmenter } from '../laws/segment.js';

/** At most this many words of the facts describe a case (the first ones: how a statement of facts opens is its gist). */
const MAX_WORDS = 80;

/** `《产品质量法》第四十九条` from a packet row, whether or not the officer typed the book-title marks. */
const citationText = (b: { law: string; article: string }) =>
  `《${b.law.trim().replace(/^《|》$/g, '')}》${b.article.trim()}`;

/** The articles a packet cites, as `a:<short title>#<number>.<sub>` terms (paragraphs and items are not told apart). */
export function articleTerms(packet: Pick<Packet, 'legalBasis'>): string[] {
  const out = new Set<string>();
  for (const b of packet.legalBasis ?? []) {
    for (const r of parseCitation(citationText(b)) ?? []) out.add(`a:${r.law}#${r.article}.${r.sub}`);
  }
  return [...out];
}

/** The words of the facts: two characters or more, no numbers, none of the party's name. */
export function factTerms(seg: Segmenter, packet: Pick<Packet, 'factsFound' | 'party'>): string[] {
  const name = packet.party?.name ?? '';
  const out = new Set<string>();
  for (const t of seg.tokens(packet.factsFound ?? '')) {
    if ([...t].length < 2 || /^[\d.,，]+$/.test(t) || name.includes(t)) continue;
    out.add(t);
    if (out.size >= MAX_WORDS) break;
  }
  return [...out];
}

export const itemCodeOf = (item: unknown): string | null => {
  const code = (item as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code ? code : null;
};

/** Every term of a case: the words of its facts, the articles it cites, its catalogue item. */
export function caseTerms(seg: Segmenter, packet: Packet, catalogueItem: unknown): string[] {
  const code = itemCodeOf(catalogueItem);
  return [...factTerms(seg, packet), ...articleTerms(packet), ...(code ? [`i:${code}`] : [])];
}

/**
 * The fine (罚款) a decision imposes, in yuan: the amounts of the clauses that say 罚款 (并处罚款五万元), summed; when
 * no clause does, the largest amount written (a decision that only confiscates); null when it writes no amount.
 */
export function fineOf(text: string): number | null {
  const clauses = text.split(/[，。；;,\n]/);
  const fines = clauses.filter((c) => c.includes('罚款')).flatMap((c) => writtenAmounts(c));
  if (fines.length) return fines.reduce((s, a) => s + a.yuan, 0);
  const all = writtenAmounts(text);
  return all.length ? Math.max(...all.map((a) => a.yuan)) : null;
}

/** What was decided: the recorded decision, else the chief's modified decision, else the proposal as reviewed. */
export function decidedText(c: {
  packet: Packet;
  decision: RecordedDecision | null;
  chief_decision: ChiefDecision | null;
}): string {
  return c.decision?.content || c.chief_decision?.modifiedContent || c.packet.proposedDecision || '';
}
