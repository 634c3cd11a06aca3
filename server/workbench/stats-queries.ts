import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { type StaffingCheck, staffingCheck } from './stats.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface DepartmentStaffing extends StaffingCheck {
  departmentId: string;
  code: string;
  name: string;
  kind: 'agency' | 'justice_bureau';
  documentAbbr: string | null;
  byKind: { staff: number; legalAdviser: number; publicLawyer: number };
  /** The department's reviewers in the city's shared pool (人才库). */
  inPool: number;
}

/**
 * Every department (or one) with its active reviewers counted by kind, checked against the 5% rule.
 * One grouped query over users (small) joined to the pool.
 */
export async function departmentStaffing(db: Db, departmentId?: string): Promise<DepartmentStaffing[]> {
  let query = db
    .selectFrom('departments as d')
    .leftJoin('users as u', (join) =>
      join.onRef('u.department_id', '=', 'd.id').on('u.active', '=', true).on(sql<boolean>`'reviewer' = ANY(u.roles)`),
    )
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .select([
      'd.id',
      'd.code',
      'd.name',
      'd.kind',
      'd.enforcement_staff_count',
      sql<string | null>`d.document_abbr`.as('document_abbr'),
      sql<string>`count(u.id)`.as('reviewers'),
      sql<string>`count(u.id) filter (where coalesce(u.reviewer_kind, 'staff') = 'staff')`.as('staff'),
      sql<string>`count(u.id) filter (where u.reviewer_kind = 'legal_adviser')`.as('legal_adviser'),
      sql<string>`count(u.id) filter (where u.reviewer_kind = 'public_lawyer')`.as('public_lawyer'),
      sql<string>`count(p.user_id)`.as('in_pool'),
    ])
    .groupBy('d.id')
    .orderBy('d.kind')
    .orderBy('d.code');
  if (departmentId) query = query.where('d.id', '=', departmentId);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...staffingCheck(r.enforcement_staff_count, Number(r.reviewers)),
    departmentId: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    documentAbbr: r.document_abbr,
    byKind: { staff: Number(r.staff), legalAdviser: Number(r.legal_adviser), publicLawyer: Number(r.public_lawyer) },
    inPool: Number(r.in_pool),
  }));
}

/** Counts of open tasks by traffic-light state, as select expressions over `tasks`. */
export function taskStateColumns(now: Date, soon: Date) {
  return [
    sql<string>`count(*)`.as('total'),
    sql<string>`count(*) filter (where tasks.paused_at is not null)`.as('paused'),
    sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at < ${now})`.as('overdue'),
    sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at >= ${now} and tasks.due_at <= ${soon})`.as(
      'due_soon',
    ),
    sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at > ${soon})`.as('normal'),
    sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at is null)`.as('none'),
  ] as const;
}

export type TaskStateCounts = Record<'total' | 'paused' | 'overdue' | 'due_soon' | 'normal' | 'none', number>;

export function toStateCounts(row: Record<keyof TaskStateCounts, string>): TaskStateCounts {
  return {
    total: Number(row.total),
    paused: Number(row.paused),
    overdue: Number(row.overdue),
    due_soon: Number(row.due_soon),
    normal: Number(row.normal),
    none: Number(row.none),
  };
}

/** Open tasks of a department (or of all) in each traffic-light state, whoever holds them. */
export async function openTaskStates(db: Db, now: Date, soon: Date, departmentId?: string) {
  let query = db.selectFrom('tasks').where('tasks.status', '=', 'open').select(taskStateColumns(now, soon));
  if (departmentId) query = query.where('tasks.department_id', '=', departmentId);
  return toStateCounts(await query.executeTakeFirstOrThrow());
}
