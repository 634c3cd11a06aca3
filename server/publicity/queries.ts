import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { DisclosureCategory, DisclosureContent, DisclosureStatus, PartyType, RedactionFinding } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export type DisclosureTimerKind = 'disclosure_reminder' | 'disclosure_deadline' | 'disclosure_retention';

export function findRule(db: Db, category: DisclosureCategory) {
  return db.selectFrom('disclosure_rules').selectAll().where('category', '=', category).executeTakeFirst();
}

export function listRules(db: Db) {
  return db.selectFrom('disclosure_rules').selectAll().orderBy('category').execute();
}

export function updateRule(
  db: Db,
  category: DisclosureCategory,
  values: {
    deadline_working_days: number;
    reminder_working_days: number;
    retention_years_person: number;
    retention_years_organization: number;
  },
) {
  return db.updateTable('disclosure_rules').set(values).where('category', '=', category).executeTakeFirst();
}

export function insertDisclosure(
  trx: Transaction<DB>,
  v: {
    departmentId: string;
    caseId: string | null;
    category: DisclosureCategory;
    decisionNumber: string;
    decisionDate: string;
    partyType: PartyType;
    original: DisclosureContent;
    redacted: DisclosureContent;
    findings: RedactionFinding[];
    dueAt: Date;
    provisional: boolean;
  },
) {
  return trx
    .insertInto('disclosures')
    .values({
      department_id: v.departmentId,
      case_id: v.caseId,
      category: v.category,
      decision_number: v.decisionNumber,
      decision_date: v.decisionDate,
      party_type: v.partyType,
      original: JSON.stringify(v.original),
      redacted: JSON.stringify(v.redacted),
      findings: JSON.stringify(v.findings),
      due_at: v.dueAt,
      due_provisional: v.provisional,
    })
    .returning(['id', 'due_at'])
    .executeTakeFirstOrThrow();
}

export function lockDisclosure(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('disclosures').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findDisclosure(db: Db, id: string) {
  return db.selectFrom('disclosures').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDisclosureByCase(db: Db, caseId: string) {
  return db.selectFrom('disclosures').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export function updateDisclosure(
  trx: Transaction<DB>,
  id: string,
  values: Partial<{
    status: DisclosureStatus;
    redacted: string;
    reminded_at: Date;
    overdue_at: Date;
    published_at: Date;
    published_by: string;
    withdrawn_at: Date;
    withdrawn_by: string | null;
    withdrawal_reason: string;
    retention_until: string;
    search_text: string;
    withdraw_due_at: Date;
    withdraw_required_reason: string;
    cancelled_at: Date;
    cancellation_reason: string;
  }>,
  searchTokens?: { party: string[]; body: string[] },
) {
  const set: Record<string, unknown> = { ...values };
  if (searchTokens) {
    // Tokens go in verbatim: no text-search parser (see search-tokens.ts).
    set.party_doc = sql`array_to_tsvector(${searchTokens.party}::text[])`;
    set.search_doc = sql`array_to_tsvector(${[...new Set([...searchTokens.party, ...searchTokens.body])]}::text[])`;
  }
  return trx.updateTable('disclosures').set(set).where('id', '=', id).execute();
}

export function appendDisclosureEvent(
  trx: Transaction<DB>,
  e: { disclosureId: string; type: string; actorId: string | null; payload: Record<string, unknown>; at: Date },
) {
  return trx
    .insertInto('disclosure_events')
    .values({
      disclosure_id: e.disclosureId,
      type: e.type,
      actor_id: e.actorId,
      payload: JSON.stringify(e.payload),
      at: e.at,
    })
    .execute();
}

export function listDisclosureEvents(db: Db, disclosureId: string) {
  return db
    .selectFrom('disclosure_events')
    .leftJoin('users', 'users.id', 'disclosure_events.actor_id')
    .select([
      'disclosure_events.type',
      'disclosure_events.payload',
      'disclosure_events.at',
      'users.display_name as actor_name',
    ])
    .where('disclosure_id', '=', disclosureId)
    .orderBy('disclosure_events.id')
    .execute();
}

/** Pending disclosures whose deadline was counted Monday–Friday for lack of a holiday notice. */
export function provisionalDisclosures(db: Db) {
  return db
    .selectFrom('disclosures')
    .select('id')
    .where('status', '=', 'pending')
    .where('due_provisional', '=', true)
    .execute();
}

/** A recounted legal deadline; `overdue_at` is cleared when the new deadline has not passed yet. */
export function setDisclosureDue(
  trx: Transaction<DB>,
  id: string,
  v: { dueAt: Date; provisional: boolean; overdueAt: Date | null },
) {
  return trx
    .updateTable('disclosures')
    .set({ due_at: v.dueAt, due_provisional: v.provisional, overdue_at: v.overdueAt })
    .where('id', '=', id)
    .execute();
}

/** Every event of the disclosures of a case (a case has at most one), oldest first. */
export function listCaseDisclosureEvents(db: Db, caseId: string) {
  return db
    .selectFrom('disclosure_events as e')
    .innerJoin('disclosures as d', 'd.id', 'e.disclosure_id')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.type', 'e.payload', 'e.at', 'e.actor_id', 'u.display_name as actor_name'])
    .where('d.case_id', '=', caseId)
    .orderBy('e.id')
    .execute();
}
