import { type AliasedSelectQueryBuilder, type Kysely, sql } from 'kysely';
import type { DB } from '../../database/schema.js';
import { type DisclosureCategory, type DisclosureContent, isoDate } from '../tables.js';
import { bigramTsquery, normalisedQuery } from './search-tokens.js';

type Db = Kysely<DB>;

/** 事前公开: the enforcement agencies, with how many decisions each has public. */
export function listAgencies(db: Db) {
  return db
    .selectFrom('departments')
    .select(['departments.id', 'departments.code', 'departments.name', 'departments.enforcement_staff_count'])
    .where('kind', '=', 'agency')
    .orderBy('code')
    .execute();
}

export function findAgency(db: Db, id: string) {
  return db
    .selectFrom('departments')
    .select(['id', 'code', 'name', 'enforcement_staff_count'])
    .where('id', '=', id)
    .where('kind', '=', 'agency')
    .executeTakeFirst();
}

export interface DecisionSearch {
  q?: string;
  party?: string;
  departmentId?: string;
  category?: DisclosureCategory;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** How many of the newest matching-by-filter decisions the first search phase looks through. */
const RECENT_WINDOW = 2000;

/**
 * 公开决定检索: bigram full-text with an exact substring re-check of each query word, party search on the
 * party's own tokens (party_doc), and filters by agency, category and decision date; newest first. One row more
 * than asked tells whether there is a next page (no count over a million rows).
 *
 * Bigrams of one phrase are strongly correlated, so the planner badly underestimates how many rows a
 * multi-bigram query matches and sorts a huge bitmap scan. Search therefore runs in two phases: (1) walk the
 * newest RECENT_WINDOW decisions in date order (btree) testing the query on each — enough for frequent
 * words; (2) only if that did not fill the page, use the GIN index, which is then selective (rare words).
 */
export async function searchPublished(db: Db, s: DecisionSearch) {
  const text = s.q ? bigramTsquery(s.q) : null;
  const party = s.party ? bigramTsquery(s.party) : null;
  const words = text
    ? normalisedQuery(s.q ?? '')
        .split(' ')
        .filter(Boolean)
    : [];
  if (text || party) {
    const recent = await recentPhase(db, s, { text, party }, words);
    if (recent.length > s.limit) return page(recent, s.limit);
  }
  if (party && !text) {
    const byParty = await partyPhase(db, s, party);
    if (byParty) return page(byParty, s.limit);
  }
  let query = filtered(db, s);
  if (text) {
    query = query.where(sql<boolean>`d.search_doc @@ ${text}::tsquery`);
    for (const w of words) query = query.where(sql<boolean>`strpos(d.search_text, ${w}) > 0`);
  }
  if (party) query = query.where(sql<boolean>`d.party_doc @@ ${party}::tsquery`);
  // Sort and page on (date, id) only; the published text of the page's rows is read afterwards.
  const matched = query
    .select(['d.id', 'd.decision_date as date_key'])
    .orderBy('d.decision_date', 'desc')
    .orderBy('d.id', 'desc')
    .limit(s.limit + 1)
    .offset(s.offset)
    .as('m');
  return page(await pageRows(db, matched), s.limit);
}

const COLUMNS = [
  'd.id',
  'd.decision_number',
  sql<string>`d.decision_date::text`.as('decision_date'),
  'd.category',
  'd.party_type',
  'd.redacted',
  'd.published_at',
  'd.department_id',
] as const;

function page(rows: Parameters<typeof publicDecision>[0][], limit: number) {
  return { items: rows.slice(0, limit).map(publicDecision), hasMore: rows.length > limit };
}

function filtered(db: Db, s: DecisionSearch) {
  let query = db.selectFrom('disclosures as d').where('d.status', '=', 'published');
  if (s.departmentId) query = query.where('d.department_id', '=', s.departmentId);
  if (s.category) query = query.where('d.category', '=', s.category);
  if (s.from) query = query.where('d.decision_date', '>=', s.from);
  if (s.to) query = query.where('d.decision_date', '<=', s.to);
  return query;
}

/** Most parties a party search walks one by one; a fragment matching more goes to the general query. */
const PARTY_FANOUT = 64;

/**
 * Phase 2 of a party search without free text: the distinct parties whose tokens match (publicity_parties,
 * see migration 20261125100000_party_search), then each one's newest published decisions from
 * disclosures_public_party_idx, merged by (date, id). The same rows as the general query, since a
 * disclosure's party_ref is the party whose doc equals its party_doc. Null when too many parties match.
 */
async function partyPhase(db: Db, s: DecisionSearch, party: string) {
  const want = s.offset + s.limit + 1;
  if (want > 1000) return null;
  const parties = await sql<{ id: string }>`
    SELECT id FROM publicity_parties WHERE doc @@ ${party}::tsquery LIMIT ${PARTY_FANOUT + 1}`.execute(db);
  if (parties.rows.length > PARTY_FANOUT) return null;
  if (parties.rows.length === 0) return [];
  const ids = parties.rows.map((r) => String(r.id));
  const matched = db
    .selectFrom(sql<{ p: string }>`unnest(${ids}::bigint[])`.as('p'))
    .innerJoinLateral(
      () =>
        filtered(db, s)
          .where(sql<boolean>`d.party_ref = p.p`)
          .select(['d.id', 'd.decision_date as date_key'])
          .orderBy('d.decision_date', 'desc')
          .orderBy('d.id', 'desc')
          .limit(want)
          .as('x'),
      (join) => join.onTrue(),
    )
    .select(['x.id', 'x.date_key'])
    .orderBy('x.date_key', 'desc')
    .orderBy('x.id', 'desc')
    .limit(s.limit + 1)
    .offset(s.offset)
    .as('m');
  return pageRows(db, matched);
}

/** The published text of a page of matched rows (id and date, already sorted and paged), in the same order. */
function pageRows(db: Db, matched: AliasedSelectQueryBuilder<{ id: string; date_key: string | Date }, 'm'>) {
  return db
    .selectFrom(matched)
    .innerJoin('disclosures as d', 'd.id', 'm.id')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select([...COLUMNS, 'dep.name as department_name'])
    .orderBy('m.date_key', 'desc')
    .orderBy('m.id', 'desc')
    .execute();
}

/** Phase 1: the query tested row by row over the newest decisions (ts_match_vq is not index-matched). */
async function recentPhase(
  db: Db,
  s: DecisionSearch,
  q: { text: string | null; party: string | null },
  words: string[],
) {
  const recent = filtered(db, s)
    .select(['d.id', 'd.decision_date as date_key', 'd.search_doc', 'd.party_doc', 'd.search_text'])
    .orderBy('d.decision_date', 'desc')
    .orderBy('d.id', 'desc')
    .limit(RECENT_WINDOW)
    .as('r');
  let query = db
    .selectFrom(recent)
    .innerJoin('disclosures as d', 'd.id', 'r.id')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select([...COLUMNS, 'dep.name as department_name']);
  if (q.text) query = query.where(sql<boolean>`ts_match_vq(r.search_doc, ${q.text}::tsquery)`);
  if (q.party) query = query.where(sql<boolean>`ts_match_vq(r.party_doc, ${q.party}::tsquery)`);
  for (const w of words) query = query.where(sql<boolean>`strpos(r.search_text, ${w}) > 0`);
  return query
    .orderBy('r.date_key', 'desc')
    .orderBy('r.id', 'desc')
    .limit(s.limit + 1)
    .offset(s.offset)
    .execute();
}

export async function findPublished(db: Db, id: string) {
  const row = await db
    .selectFrom('disclosures as d')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select([
      'd.id',
      'd.decision_number',
      sql<string>`d.decision_date::text`.as('decision_date'),
      'd.category',
      'd.party_type',
      'd.redacted',
      'd.published_at',
      'dep.id as department_id',
      'dep.name as department_name',
    ])
    .where('d.id', '=', id)
    .where('d.status', '=', 'published')
    .executeTakeFirst();
  return row ? publicDecision(row) : null;
}

/** What the public sees of a decision: only the reviewed, redacted text. */
export function publicDecision(r: {
  id: string;
  decision_number: string;
  decision_date: string | Date;
  category: DisclosureCategory;
  party_type: 'person' | 'organization';
  redacted: DisclosureContent;
  published_at: Date | null;
  department_id: string;
  department_name: string;
}) {
  return {
    id: r.id,
    agencyId: r.department_id,
    agency: r.department_name,
    decisionNumber: r.decision_number,
    decisionDate: isoDate(r.decision_date),
    category: r.category,
    partyType: r.party_type,
    title: r.redacted.title,
    party: r.redacted.party,
    partyCode: r.redacted.partyCode,
    facts: r.redacted.facts,
    legalBasis: r.redacted.legalBasis,
    decision: r.redacted.decision,
    publishedAt: (r.published_at ?? new Date(0)).toISOString(),
  };
}

export type PublicDecision = ReturnType<typeof publicDecision>;

/**
 * 撤回说明: a withdrawn decision stays findable by the public as a notice — agency, decision number and date,
 * when it was withdrawn and why (行政处罚法 art. 48(2) wants the reason published) — without the decision's
 * text or party. Decisions taken down at the end of their retention are not listed.
 */
const withdrawnColumns = [
  'd.id',
  'd.decision_number',
  sql<string>`d.decision_date::text`.as('decision_date'),
  'd.category',
  'd.withdrawn_at',
  'd.withdrawal_reason',
  'dep.id as department_id',
  'dep.name as department_name',
] as const;

function withdrawnNotice(r: {
  id: string;
  decision_number: string;
  decision_date: string;
  category: DisclosureCategory;
  withdrawn_at: Date | null;
  withdrawal_reason: string | null;
  department_id: string;
  department_name: string;
}) {
  return {
    id: r.id,
    agencyId: r.department_id,
    agency: r.department_name,
    decisionNumber: r.decision_number,
    decisionDate: isoDate(r.decision_date),
    category: r.category,
    withdrawnAt: (r.withdrawn_at ?? new Date(0)).toISOString(),
    reason: r.withdrawal_reason ?? '',
  };
}

export type WithdrawnNotice = ReturnType<typeof withdrawnNotice>;

export async function findWithdrawn(db: Kysely<DB>, id: string): Promise<WithdrawnNotice | null> {
  const row = await db
    .selectFrom('disclosures as d')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select(withdrawnColumns)
    .where('d.id', '=', id)
    .where('d.status', '=', 'withdrawn')
    .executeTakeFirst();
  return row ? withdrawnNotice(row) : null;
}

export async function listWithdrawn(db: Kysely<DB>, page: { limit: number; offset: number }) {
  const rows = await db
    .selectFrom('disclosures as d')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select(withdrawnColumns)
    .where('d.status', '=', 'withdrawn')
    .orderBy('d.withdrawn_at', 'desc')
    .orderBy('d.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(withdrawnNotice);
}
