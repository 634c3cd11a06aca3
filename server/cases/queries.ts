import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type {
  CaseStatus,
  CasesTable,
  ChiefDecision,
  Coordination,
  Packet,
  RecordedDecision,
  ReviewOpinionsTable,
} from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function insertCase(
  trx: Transaction<DB>,
  v: {
    id: string;
    departmentId: string;
    instanceId: string | null;
    packet: Packet;
    facts: Record<string, unknown>;
    mandatory: boolean;
    requested: boolean;
    catalogueItem: Record<string, unknown> | null;
    catalogueReason: string;
    status: CaseStatus;
    submittedBy: string;
    handlingUnitId: string | null;
  },
) {
  return trx
    .insertInto('cases')
    .values({
      id: v.id,
      instance_id: v.instanceId,
      department_id: v.departmentId,
      case_number: v.packet.caseNumber,
      title: v.packet.title,
      category: v.packet.category,
      facts: JSON.stringify(v.facts),
      packet: JSON.stringify(v.packet),
      review_mandatory: v.mandatory,
      review_requested: v.requested,
      catalogue_item: v.catalogueItem ? JSON.stringify(v.catalogueItem) : null,
      catalogue_reason: v.catalogueReason,
      status: v.status,
      submitted_by: v.submittedBy,
      handling_unit_id: v.handlingUnitId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findCase(db: Db, id: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockCase(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findCaseByInstance(db: Db, instanceId: string) {
  return db.selectFrom('cases').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();
}

export function caseNumberTaken(db: Db, departmentId: string, caseNumber: string) {
  return db
    .selectFrom('cases')
    .select('id')
    .where('department_id', '=', departmentId)
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
}

export function updateCase(
  db: Db,
  id: string,
  v: Partial<{
    status: CaseStatus;
    packet: Packet;
    instanceId: string;
    reviewerId: string;
    reviewPassed: boolean;
    currentRound: number;
    chiefDecision: ChiefDecision;
    decision: RecordedDecision;
    coordination: Coordination;
    reviewUnitId: string;
  }>,
) {
  return db
    .updateTable('cases')
    .set({
      ...(v.status && { status: v.status }),
      ...(v.packet && { packet: JSON.stringify(v.packet), title: v.packet.title }),
      ...(v.instanceId && { instance_id: v.instanceId }),
      ...(v.reviewerId && { reviewer_id: v.reviewerId }),
      ...(v.reviewPassed !== undefined && { review_passed: v.reviewPassed }),
      ...(v.currentRound && { current_round: v.currentRound }),
      ...(v.chiefDecision && { chief_decision: JSON.stringify(v.chiefDecision) }),
      ...(v.decision && { decision: JSON.stringify(v.decision) }),
      ...(v.coordination && { coordination: JSON.stringify(v.coordination) }),
      ...(v.reviewUnitId && { review_unit_id: v.reviewUnitId }),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** What a case list can be narrowed by: department, status, category, and text in the case number or title. */
export interface CaseFilter {
  departmentId?: string;
  status?: CaseStatus;
  category?: CasesTable['category'];
  /** Case number or title contains this. */
  q?: string;
}

/**
 * How many of the newest cases (by the filter without its text) a text search reads first. A word common in the
 * titles (one case in six, say) fills a page from these; the bigram index is then not asked for the tens of
 * thousands of cases that hold it (its estimate multiplies the pieces' frequencies and so takes a common phrase
 * for a rare one). A rarer text is looked up in the index after this read, which costs a few milliseconds.
 */
export const TEXT_SEARCH_WINDOW = 600;

/**
 * A page of a text search (`f.q`) taken from the newest TEXT_SEARCH_WINDOW cases of the rest of the filter, ordered
 * by (updated_at desc, id); `select` adds the page's joins and columns to the window as `cases`. Returns null
 * when the window holds fewer than `offset + limit` matches: the page then needs the whole filter. Exact, not
 * an approximation: the window is the start of the same order, so a full page from it is the page.
 */
export async function pageFromNewest<R>(
  db: Db,
  f: CaseFilter & { limit: number; offset: number },
  select: (window: ReturnType<typeof windowOf>) => { execute(): Promise<R[]> },
): Promise<R[] | null> {
  if (!f.q || f.offset + f.limit > TEXT_SEARCH_WINDOW / 3) return null;
  const rows = await select(windowOf(db, f)).execute();
  return rows.length === f.limit ? rows : null;
}

/** Contains `q`, literally (ILIKE with its wildcards escaped). */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function windowOf(db: Db, f: CaseFilter) {
  const newest = filteredCases(db, { ...f, q: undefined })
    .selectAll('cases')
    .orderBy('cases.updated_at', 'desc')
    .orderBy('cases.id')
    .limit(TEXT_SEARCH_WINDOW);
  const like = likePattern(f.q ?? '');
  return db
    .selectFrom(newest.as('cases'))
    .where((eb) => eb.or([eb('cases.case_number', 'ilike', like), eb('cases.title', 'ilike', like)]));
}

/** The cases that match a filter, to select from. */
export function filteredCases(db: Db, f: CaseFilter) {
  let query = db.selectFrom('cases');
  if (f.departmentId) query = query.where('cases.department_id', '=', f.departmentId);
  if (f.status) query = query.where('cases.status', '=', f.status);
  if (f.category) query = query.where('cases.category', '=', f.category);
  if (f.q) {
    const like = likePattern(f.q);
    query = query.where((eb) => eb.or([eb('cases.case_number', 'ilike', like), eb('cases.title', 'ilike', like)]));
    // Two characters or more: first the cases holding every two-character piece of the text, from the index of
    // migration 20261210600000 (the expression must be written exactly as the index's): within a department its
    // pieces prefixed with the department, so that only that department's cases are read from the index.
    if ([...f.q].length >= 2) {
      query = query.where(
        sql<string[]>`case_search_keys(cases.department_id, cases.case_number, cases.title)`,
        '@>',
        f.departmentId
          ? sql<string[]>`search_bigrams_in(${f.departmentId}::uuid, ${f.q})`
          : sql<string[]>`search_bigrams(${f.q})`,
      );
    }
  }
  return query;
}

export async function listCases(db: Db, f: CaseFilter & { limit: number; offset: number }) {
  const fromNewest = await pageFromNewest(db, f, (w) =>
    w
      .innerJoin('departments as d', 'd.id', 'cases.department_id')
      .select(LIST_COLUMNS)
      .orderBy('cases.updated_at', 'desc')
      .orderBy('cases.id')
      .limit(f.limit)
      .offset(f.offset),
  );
  if (fromNewest) return fromNewest;
  return filteredCases(db, f)
    .innerJoin('departments as d', 'd.id', 'cases.department_id')
    .select(LIST_COLUMNS)
    .orderBy('cases.updated_at', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

const LIST_COLUMNS = [
  'cases.id',
  'cases.department_id',
  'd.name as department_name',
  'cases.case_number',
  'cases.title',
  'cases.category',
  'cases.status',
  'cases.review_mandatory',
  'cases.current_round',
  'cases.created_at',
  'cases.updated_at',
] as const;

export function insertRound(
  db: Db,
  v: { caseId: string; round: number; packet: Packet; changes: unknown[]; note: string | null; submittedBy: string },
) {
  return db
    .insertInto('case_rounds')
    .values({
      case_id: v.caseId,
      round: v.round,
      packet: JSON.stringify(v.packet),
      changes: JSON.stringify(v.changes),
      note: v.note,
      submitted_by: v.submittedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listRounds(db: Db, caseId: string) {
  return db.selectFrom('case_rounds').selectAll().where('case_id', '=', caseId).orderBy('round').execute();
}

export function insertOpinion(
  db: Db,
  v: Omit<ReviewOpinionsTable, 'id' | 'created_at' | 'findings'> & { findings: unknown[] },
) {
  return db
    .insertInto('review_opinions')
    .values({ ...v, findings: JSON.stringify(v.findings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listOpinions(db: Db, caseId: string) {
  return db
    .selectFrom('review_opinions as o')
    .innerJoin('users as u', 'u.id', 'o.reviewer_id')
    .selectAll('o')
    .select(['u.display_name as reviewer_name', 'u.reviewer_kind'])
    .where('o.case_id', '=', caseId)
    .orderBy('o.created_at')
    .execute();
}

/** How many substantive reviews (法制审核, not 复核) the case has had. */
export async function countReviews(db: Db, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('review_opinions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('case_id', '=', caseId)
    .where('kind', '=', 'review')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function latestOpinion(db: Db, caseId: string) {
  return db
    .selectFrom('review_opinions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertAttachment(
  db: Db,
  v: {
    caseId: string;
    round: number;
    fileName: string;
    mediaType: string;
    size: number;
    sm3: string;
    storageKey: string;
    uploadedBy: string;
  },
) {
  return db
    .insertInto('case_attachments')
    .values({
      case_id: v.caseId,
      round: v.round,
      file_name: v.fileName,
      media_type: v.mediaType,
      size: v.size,
      sm3: v.sm3,
      storage_key: v.storageKey,
      uploaded_by: v.uploadedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listAttachments(db: Db, caseId: string) {
  return db.selectFrom('case_attachments').selectAll().where('case_id', '=', caseId).orderBy('uploaded_at').execute();
}

export function findAttachment(db: Db, caseId: string, id: string) {
  return db
    .selectFrom('case_attachments')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}
