import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

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

/** Open tasks of a department that are overdue or due within the due-soon boundary, most urgent first. */
export function urgentTasks(db: Db, departmentId: string, soon: Date, limit: number) {
  return db
    .selectFrom('tasks')
    .innerJoin('process_instances as pi', 'pi.id', 'tasks.instance_id')
    .leftJoin('users as u', 'u.id', 'tasks.assignee_id')
    .select([
      'tasks.id',
      'tasks.name',
      'tasks.due_at',
      'tasks.paused_at',
      'tasks.escalated_to',
      'pi.business_key',
      'u.display_name as assignee_name',
      sql<string | null>`pi.variables->>'caseId'`.as('case_id'),
      sql<string | null>`pi.variables->>'caseTitle'`.as('case_title'),
    ])
    .where('tasks.department_id', '=', departmentId)
    .where('tasks.status', '=', 'open')
    .where('tasks.paused_at', 'is', null)
    .where('tasks.due_at', '<=', soon)
    .orderBy('tasks.due_at')
    .orderBy('tasks.id')
    .limit(limit)
    .execute();
}

/**
 * Finished review steps (法制审核, from the reviewer's assignment to the signed opinion) of a department
 * since a time, grouped by the Shanghai civil days they started and ended on — few rows however many
 * reviews, and the calendar arithmetic stays with the caller.
 */
export async function reviewSpans(
  db: Db,
  departmentId: string,
  since: Date,
): Promise<{ from: string; to: string; count: number }[]> {
  // Asia/Shanghai (UTC+8) day numbers by timestamp and date arithmetic: to_char over a department's year of review
  // tasks cost ten times the CPU (bench/million.ts). Formatted here, on the few hundred groups.
  const day = (col: string) =>
    sql<number>`(((${sql.ref(col)} AT TIME ZONE 'UTC') + interval '8 hours')::date - date '1970-01-01')`;
  const rows = await db
    .selectFrom('tasks')
    .select([day('tasks.created_at').as('from'), day('tasks.ended_at').as('to'), sql<string>`count(*)`.as('n')])
    .where('tasks.department_id', '=', departmentId)
    .where('tasks.step', '=', 'review')
    .where('tasks.status', '=', 'completed')
    .where('tasks.ended_at', '>=', since)
    .groupBy(['from', 'to'])
    .execute();
  const format = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  return rows.map((r) => ({ from: format(r.from), to: format(r.to), count: Number(r.n) }));
}

/** A department's extension requests awaiting a decision, with the task, its case and who asked. */
export function pendingExtensions(db: Db, departmentId: string) {
  return db
    .selectFrom('deadline_extensions as e')
    .innerJoin('tasks as t', 't.id', 'e.task_id')
    .innerJoin('process_instances as pi', 'pi.id', 'e.instance_id')
    .innerJoin('users as u', 'u.id', 'e.requested_by')
    .select([
      'e.id',
      'e.working_days',
      'e.reason',
      'e.requested_at',
      'e.requested_by',
      't.name as task_name',
      't.due_at',
      't.status as task_status',
      'pi.business_key',
      'u.display_name as requested_by_name',
      sql<string | null>`pi.variables->>'caseId'`.as('case_id'),
      sql<string | null>`pi.variables->>'caseTitle'`.as('case_title'),
    ])
    .where('e.department_id', '=', departmentId)
    .where('e.status', '=', 'pending')
    .orderBy('e.requested_at')
    .execute();
}

/** The open tasks of some process instances (one page of cases), earliest due first. */
export function openTasksOf(db: Db, instanceIds: string[]) {
  if (instanceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('tasks')
    .select(['instance_id', 'name', 'due_at', 'paused_at', 'escalated_to'])
    .where('instance_id', 'in', instanceIds)
    .where('status', '=', 'open')
    .orderBy('due_at', (ob) => ob.asc().nullsLast())
    .execute();
}
