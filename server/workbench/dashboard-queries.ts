import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { ReviewSpan } from './stats.js';
import { OPEN_CASE_STATUSES } from './stats.js';

type Db = Kysely<DB> | Transaction<DB>;

/** How many of a department's cases are in each open state. */
export async function openCasesByStatus(db: Db, departmentId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('department_id', '=', departmentId)
    .where('status', 'in', OPEN_CASE_STATUSES)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
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
 * reviews, and the calendar arithmetic stays in one place (stats.reviewTime).
 */
export async function reviewSpans(db: Db, departmentId: string, since: Date): Promise<ReviewSpan[]> {
  const day = (col: string) => sql<string>`to_char(${sql.ref(col)} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('tasks')
    .select([day('tasks.created_at').as('from'), day('tasks.ended_at').as('to'), sql<string>`count(*)`.as('n')])
    .where('tasks.department_id', '=', departmentId)
    .where('tasks.element_id', '=', 'Task_review')
    .where('tasks.status', '=', 'completed')
    .where('tasks.ended_at', '>=', since)
    .groupBy(['from', 'to'])
    .execute();
  return rows.map((r) => ({ from: r.from, to: r.to, count: Number(r.n) }));
}

/**
 * Reviewers working for a department: its own active reviewers, and reviewers borrowed from the pool who
 * hold its open tasks, with the open tasks they hold in this department and how many are overdue.
 */
export async function reviewerLoad(db: Db, departmentId: string, now: Date) {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .leftJoin('tasks as t', (join) =>
      join.onRef('t.assignee_id', '=', 'u.id').on('t.status', '=', 'open').on('t.department_id', '=', departmentId),
    )
    .select([
      'u.id',
      'u.display_name',
      'u.reviewer_kind',
      'u.active',
      sql<boolean>`u.department_id <> ${departmentId}`.as('borrowed'),
      sql<boolean>`p.user_id is not null`.as('in_pool'),
      sql<string>`count(t.id)`.as('open_tasks'),
      sql<string>`count(t.id) filter (where t.paused_at is null and t.due_at < ${now})`.as('overdue'),
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('u.department_id', '=', departmentId),
          eb('u.active', '=', true),
          sql<boolean>`'reviewer' = ANY(u.roles)`,
        ]),
        eb.exists(
          eb
            .selectFrom('tasks as o')
            .select('o.id')
            .whereRef('o.assignee_id', '=', 'u.id')
            .where('o.status', '=', 'open')
            .where('o.department_id', '=', departmentId)
            .where('o.role', '=', 'reviewer'),
        ),
      ]),
    )
    .groupBy(['u.id', 'p.user_id'])
    .orderBy(sql`count(t.id)`, 'desc')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    reviewerKind: r.reviewer_kind,
    active: r.active,
    borrowed: r.borrowed,
    inPool: r.in_pool,
    openTasks: Number(r.open_tasks),
    overdue: Number(r.overdue),
  }));
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
