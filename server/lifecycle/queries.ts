import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { StageKind } from './kinds.js';
import type { FilePurpose, LimitExtension } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

// Dates are read as text (YYYY-MM-DD) so both drivers give the same value whatever their date parser.
const lifecycleColumns = [
  'case_id',
  sql<string>`filed_on::text`.as('filed_on'),
  sql<string>`decision_due_on::text`.as('decision_due_on'),
  'extension',
  'reminded_at',
  'overdue_at',
  sql<string | null>`archived_on::text`.as('archived_on'),
] as const;

export interface Lifecycle {
  case_id: string;
  filed_on: string;
  decision_due_on: string;
  extension: LimitExtension | null;
  reminded_at: Date | null;
  overdue_at: Date | null;
  archived_on: string | null;
}

export async function findLifecycle(db: Db, caseId: string, lock = false): Promise<Lifecycle | undefined> {
  let q = db.selectFrom('case_lifecycles').select(lifecycleColumns).where('case_id', '=', caseId);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) as Lifecycle | undefined;
}

export function insertLifecycle(
  trx: Transaction<DB>,
  v: { caseId: string; filedOn: string; dueOn: string; by: string | null },
) {
  return trx
    .insertInto('case_lifecycles')
    .values({ case_id: v.caseId, filed_on: v.filedOn, decision_due_on: v.dueOn, created_by: v.by })
    .execute();
}

export function updateLifecycle(
  trx: Transaction<DB>,
  caseId: string,
  v: Partial<{
    dueOn: string;
    extension: LimitExtension;
    remindedAt: Date;
    overdueAt: Date;
    archivedOn: string;
  }>,
) {
  return trx
    .updateTable('case_lifecycles')
    .set({
      ...(v.dueOn && { decision_due_on: v.dueOn }),
      ...(v.extension && { extension: JSON.stringify(v.extension) }),
      ...(v.remindedAt && { reminded_at: v.remindedAt }),
      ...(v.overdueAt && { overdue_at: v.overdueAt }),
      ...(v.archivedOn && { archived_on: v.archivedOn }),
    })
    .where('case_id', '=', caseId)
    .execute();
}

export interface Stage {
  id: string;
  case_id: string;
  kind: StageKind;
  status: 'open' | 'closed';
  started_on: string;
  ended_on: string | null;
  details: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
}

const stageColumns = [
  'id',
  'case_id',
  'kind',
  'status',
  sql<string>`started_on::text`.as('started_on'),
  sql<string | null>`ended_on::text`.as('ended_on'),
  'details',
  'created_by',
  'created_at',
] as const;

export async function listStages(db: Db, caseId: string): Promise<Stage[]> {
  return (await db
    .selectFrom('case_stages')
    .select(stageColumns)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as Stage[];
}

export function insertStage(
  trx: Transaction<DB>,
  v: {
    caseId: string;
    kind: StageKind;
    status: 'open' | 'closed';
    startedOn: string;
    endedOn?: string | null;
    details: Record<string, unknown>;
    by: string | null;
  },
) {
  return trx
    .insertInto('case_stages')
    .values({
      case_id: v.caseId,
      kind: v.kind,
      status: v.status,
      started_on: v.startedOn,
      ended_on: v.endedOn ?? null,
      details: JSON.stringify(v.details),
      created_by: v.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function updateStage(
  trx: Transaction<DB>,
  id: string,
  v: Partial<{ status: 'open' | 'closed'; endedOn: string; details: Record<string, unknown> }>,
) {
  return trx
    .updateTable('case_stages')
    .set({
      ...(v.status && { status: v.status }),
      ...(v.endedOn && { ended_on: v.endedOn }),
      ...(v.details && { details: JSON.stringify(v.details) }),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Inserts the event unless its source already sent one with the same id; returns null for a duplicate. */
export async function insertEvent(
  trx: Transaction<DB>,
  v: {
    caseId: string;
    stageId: string | null;
    type: string;
    occurredOn: string;
    details: Record<string, unknown>;
    source: string;
    externalId: string | null;
    actorId: string | null;
  },
) {
  const row = await trx
    .insertInto('case_stage_events')
    .values({
      case_id: v.caseId,
      stage_id: v.stageId,
      type: v.type,
      occurred_on: v.occurredOn,
      details: JSON.stringify(v.details),
      source: v.source,
      external_id: v.externalId,
      actor_id: v.actorId,
    })
    .onConflict((oc) => oc.constraint('case_stage_events_external_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export function setEventStage(trx: Transaction<DB>, eventId: string, stageId: string) {
  return trx.updateTable('case_stage_events').set({ stage_id: stageId }).where('id', '=', eventId).execute();
}

export function findEventByExternalId(db: Db, caseId: string, source: string, externalId: string) {
  return db
    .selectFrom('case_stage_events')
    .select(['id', 'stage_id', 'type'])
    .where('case_id', '=', caseId)
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export function listEvents(db: Db, caseId: string) {
  return db
    .selectFrom('case_stage_events')
    .select([
      'id',
      'stage_id',
      'type',
      sql<string>`occurred_on::text`.as('occurred_on'),
      'details',
      'source',
      'external_id',
      'actor_id',
      'created_at',
    ])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

export function linkFiles(
  trx: Transaction<DB>,
  stageId: string,
  attachmentIds: string[],
  purpose: FilePurpose,
  by: string | null,
) {
  if (attachmentIds.length === 0) return Promise.resolve();
  return trx
    .insertInto('case_stage_files')
    .values(attachmentIds.map((a) => ({ stage_id: stageId, attachment_id: a, purpose, linked_by: by })))
    .onConflict((oc) => oc.columns(['stage_id', 'attachment_id']).doNothing())
    .execute();
}

/** The files linked to the case's stages, with their sniffed media type. */
export function stageFiles(db: Db, caseId: string) {
  return db
    .selectFrom('case_stage_files as f')
    .innerJoin('case_stages as s', 's.id', 'f.stage_id')
    .innerJoin('case_attachments as a', 'a.id', 'f.attachment_id')
    .select(['f.stage_id', 'f.attachment_id', 'f.purpose', 'a.file_name', 'a.media_type', 'a.sm3'])
    .where('s.case_id', '=', caseId)
    .orderBy('f.linked_at')
    .execute();
}

/** Attachments of this case among the ids (a stage links only its own case's files). */
export function attachmentsOfCase(db: Db, caseId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_attachments')
    .select(['id', 'media_type'])
    .where('case_id', '=', caseId)
    .where('id', 'in', ids)
    .execute();
}

/**
 * Stages that expect an audio/video recording and have none (查封扣押、强制拆除 required; 现场执法、调查取证、
 * 听证 held、留置送达、公告送达 expected), newest first, for the supervisor: all departments or one.
 */
export function missingRecordings(db: Db, departmentId: string | undefined, limit = 50) {
  let query = db
    .selectFrom('case_stages as s')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      's.id',
      's.case_id',
      's.kind',
      sql<string>`s.started_on::text`.as('started_on'),
      sql<string | null>`s.details->>'methodLabel'`.as('method_label'),
      'c.case_number',
      'c.title',
      'd.name as department_name',
    ])
    .where((eb) =>
      eb.or([
        eb('s.kind', 'in', ['seizure', 'demolition', 'onsite', 'investigation']),
        eb.and([eb('s.kind', '=', 'hearing'), eb(sql`s.details->>'heldOn'`, 'is not', null)]),
        eb.and([eb('s.kind', '=', 'service'), eb(sql`s.details->>'method'`, 'in', ['left', 'public_notice'])]),
      ]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('case_stage_files as f')
            .innerJoin('case_attachments as a', 'a.id', 'f.attachment_id')
            .select('f.stage_id')
            .whereRef('f.stage_id', '=', 's.id')
            .where((eb) => eb.or([eb('a.media_type', 'like', 'audio/%'), eb('a.media_type', 'like', 'video/%')])),
        ),
      ),
    );
  if (departmentId) query = query.where('c.department_id', '=', departmentId);
  return query.orderBy('s.started_on', 'desc').orderBy('s.id').limit(limit).execute();
}
