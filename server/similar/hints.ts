import type { Kysely } from 'kysely';
import type { Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import type { Segmenter } from '../laws/segment.js';
import { deviationText, similarCases } from './service.js';

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

/** 与相似案件不一致: the proposal's fine lies outside the range of the city's similar decided cases. */
export const similarCaseHints =
  (segmenter: Segmenter): HintSource =>
  async (db, c) => {
    const r = await similarCases(db, segmenter, c, null);
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
