import type { Kysely } from 'kysely';
import type { Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';

/** One hint (争议焦点自动提示) as a source produces it; the shape is shared with server/discretion and server/similar. */
export interface HintInput {
  /** 'citation' | 'benchmark_deviation' | 'similar_deviation' | 'amount_mismatch' | 'evidence_missing' | 'procedure_gap' */
  kind: string;
  /** The review point it concerns: a key of REVIEW_POINTS in server/cases/review-points.ts. */
  point: string;
  /** Stable for the same problem of the same packet, so a reviewer's mark survives re-rendering. */
  key: string;
  /** One line, Simplified Chinese. */
  title: string;
  /** Simplified Chinese, complete enough to be quoted in the written opinion. */
  detail: string;
  /** Link to its source (an article, a similar case, a benchmark item), when there is one. */
  href?: string;
}

/** The case a source reads: a row of `cases` (the others' sources read the first four fields only). */
export interface HintCase {
  id: string;
  department_id: string;
  packet: Packet;
  created_at: Date;
  /** The case facts declared at submission (涉案金额, measure, …). */
  facts?: Record<string, unknown>;
}

export type HintSource = (db: Kysely<DB>, c: HintCase) => Promise<HintInput[]>;
