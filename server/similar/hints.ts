import type { Kysely } from 'kysely';
import type { Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { deviationText, type SimilarSearch } from './service.js';

/** The shape shared with server/hints (see the hint interface): one problem the reviewer should look at. */
export interface HintInput {
  kind: string;
  point: string;
  key: string;
  title: string;
  detail: string;
  href?: string;
}
export type HintSource = (
  db: Kysely<DB>,
  c: { id: string; department_id: string; packet: Packet; created_at: Date },
) => Promise<HintInput[]>;

/**
 * 与相似案件不一致: the proposal's fine lies outside the range of the city's similar decided cases. Searched through
 * the app's `similar` (its database), so that the case page's own similar-cases section shares the search.
 */
export const similarCaseHints =
  (similar: SimilarSearch): HintSource =>
  async (_db, c) => {
    const r = await similar.search(c, null);
    const detail = deviationText(r);
    if (!detail || !r.range) return [];
    return [
      {
        kind: 'similar_deviation',
        point: 'discretion',
        key: `similar:${r.outside}:${r.proposal}`,
        title: `拟处罚款${r.outside === 'above' ? '高于' : '低于'}相似案件的罚款幅度`,
        detail,
        href: `/cases/${c.id}#similar`,
      },
    ];
  };
