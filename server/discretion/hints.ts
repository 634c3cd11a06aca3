import type { Kysely } from 'kysely';
import type { Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { assessPacket } from './assess.js';

/** The shape of the hint interface shared with server/hints (declared here, as agreed, and wired at merge). */
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
 * 争议焦点: a proposal outside the range of the benchmark item and circumstance the packet chose (or a fine where
 * the benchmark says 不予处罚), with the officer's explanation if there is one. A choice that can no longer be
 * checked (item deleted since) is a hint too: the reviewer must judge the discretion without the benchmark.
 */
export const benchmarkHints: HintSource = async (db, c) => {
  const a = await assessPacket(db, c.department_id, c.packet);
  if (!a) return [];
  const unchecked = a.status === 'item_missing' || a.status === 'circumstance_missing' || a.status === 'missing_base';
  if (!a.deviation && !unchecked) return [];
  const explained = a.explanation ? `承办机构说明的偏离理由：${a.explanation}` : '承办机构未说明偏离理由。';
  return [
    {
      kind: 'benchmark_deviation',
      point: 'discretion',
      key: `benchmark:${a.itemId}:${a.circumstance}`,
      title: unchecked
        ? `无法按裁量基准核对：${a.message}`
        : `拟处罚偏离裁量基准（${a.code} ${a.circumstanceLabel}情节：${a.rangeText}）`,
      detail: unchecked ? `${a.message}。请审核人员结合案情判断裁量是否适当。` : `${a.message}。${explained}`,
      href: `/api/departments/${c.department_id}/discretion-benchmarks/${a.itemId}`,
    },
  ];
};
