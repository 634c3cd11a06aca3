import { sql } from 'kysely';
import type { ChiefDecision, Packet, RecordedDecision } from '../cases/tables.js';
import type { Database } from '../database/connect.js';
import type { Segmenter } from '../laws/segment.js';
import { caseTerms, decidedText, fineOf } from './features.js';

const BATCH = 500;
/**
 * cases.updated_at is the time its transaction began, so a case may commit a little after a later-stamped one was
 * indexed: the catch-up looks this far behind the newest indexed stamp (an index scan on cases (status, updated_at)).
 */
const LOOKBACK = sql`interval '10 minutes'`;

interface DecidedRow {
  id: string;
  department_id: string;
  category: string;
  packet: Packet | string;
  catalogue_item: unknown;
  decision: RecordedDecision | string | null;
  chief_decision: ChiefDecision | string | null;
  /** As text: microseconds survive the round trip (a Date would lose them and the case would never look indexed). */
  updated_at: string;
}

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function staleDecided(db: Database, limit: number) {
  return sql<DecidedRow>`
    SELECT c.id, c.department_id, c.category, c.packet, c.catalogue_item, c.decision, c.chief_decision,
      c.updated_at::text AS updated_at
    FROM cases c LEFT JOIN similar_cases s ON s.case_id = c.id
    WHERE c.status = 'decided'
      AND c.updated_at > coalesce((SELECT max(source_updated_at) FROM similar_cases) - ${LOOKBACK}, '-infinity')
      AND (s.case_id IS NULL OR s.source_updated_at < c.updated_at)
    ORDER BY c.updated_at, c.id
    LIMIT ${limit}`.execute(db);
}

/** Adds +1 (or -1) to the count of each term, and to the count of cases (term ''). */
async function countTerms(db: Database, perCase: string[][], sign: 1 | -1) {
  if (!perCase.length) return;
  const all = perCase.flat();
  all.push(...perCase.map(() => ''));
  await sql`
    INSERT INTO similar_terms (term, df)
    SELECT t, ${sign}::int * count(*)::int FROM jsonb_array_elements_text(${JSON.stringify(all)}::jsonb) t GROUP BY t
    ON CONFLICT (term) DO UPDATE SET df = similar_terms.df + excluded.df`.execute(db);
}

/** Whether a decided case waits to be indexed (or re-indexed), i.e. searches do not yet see every decided case. */
export async function indexBehind(db: Database): Promise<boolean> {
  return (await staleDecided(db, 1)).rows.length > 0;
}

/**
 * Brings similar_cases up to date with the decided cases (new ones, and decided ones changed since they were
 * indexed), oldest change first, at most `maxCases` of them. Serialised by an advisory lock so two catch-ups never
 * count a case twice. Returns how many it indexed.
 */
export async function catchUp(db: Database, seg: Segmenter, maxCases = Number.POSITIVE_INFINITY): Promise<number> {
  const probe = await staleDecided(db, 1);
  if (!probe.rows.length) return 0;
  let indexed = 0;
  while (indexed < maxCases) {
    const batch = Math.min(BATCH, maxCases - indexed);
    const n = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('similar_cases_catch_up'))`.execute(trx);
      const rows = (await staleDecided(trx, batch)).rows;
      if (!rows.length) return 0;
      const ids = rows.map((r) => r.id);
      const old = await sql<{ terms: string[] }>`
        SELECT tsvector_to_array(terms) AS terms FROM similar_cases
        WHERE case_id = ANY (ARRAY(SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid))`.execute(
        trx,
      );
      await countTerms(
        trx,
        old.rows.map((r) => r.terms),
        -1,
      );
      const features = rows.map((r) => {
        const packet = json<Packet>(r.packet)!;
        const decision = json<RecordedDecision>(r.decision);
        const chief = json<ChiefDecision>(r.chief_decision);
        return {
          case_id: r.id,
          department_id: r.department_id,
          category: r.category,
          terms: caseTerms(seg, packet, json(r.catalogue_item as string | null)),
          fine: fineOf(decidedText({ packet, decision, chief_decision: chief })),
          decided_on: decision?.date ?? null,
          source_updated_at: r.updated_at,
        };
      });
      await sql`
        INSERT INTO similar_cases (case_id, department_id, category, terms, fine, decided_on, source_updated_at)
        SELECT x.case_id, x.department_id, x.category,
          array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(x.terms))), x.fine, x.decided_on, x.source_updated_at
        FROM jsonb_to_recordset(${JSON.stringify(features)}::jsonb) AS x(
          case_id uuid, department_id uuid, category text, terms jsonb, fine numeric, decided_on date,
          source_updated_at timestamptz)
        ON CONFLICT (case_id) DO UPDATE SET department_id = excluded.department_id, category = excluded.category,
          terms = excluded.terms, fine = excluded.fine, decided_on = excluded.decided_on,
          source_updated_at = excluded.source_updated_at`.execute(trx);
      await countTerms(
        trx,
        features.map((f) => [...new Set(f.terms)]),
        1,
      );
      return rows.length;
    });
    indexed += n;
    if (n < batch) return indexed;
  }
  return indexed;
}
