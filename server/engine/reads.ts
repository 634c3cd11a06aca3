import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { TaskStatus } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function findInstance(db: Db, id: string) {
  return db.selectFrom('process_instances').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findInstanceWithDefinition(db: Db, id: string) {
  return db
    .selectFrom('process_instances as pi')
    .innerJoin('workflow_definitions as d', 'd.id', 'pi.definition_id')
    .selectAll('pi')
    .select(['d.process_key', 'd.version as definition_version'])
    .where('pi.id', '=', id)
    .executeTakeFirst();
}

export function findTask(db: Db, id: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('process_instances as pi', 'pi.id', 'tasks.instance_id')
    .selectAll('tasks')
    .select(['pi.definition_id', 'pi.business_key'])
    .where('tasks.id', '=', id)
    .executeTakeFirst();
}

const taskColumns = [
  'tasks.id',
  'tasks.instance_id',
  'tasks.department_id',
  'tasks.element_id',
  'tasks.name',
  'tasks.role',
  'tasks.assignee_id',
  'tasks.status',
  'tasks.due_at',
  'tasks.created_at',
  'tasks.ended_at',
  'tasks.form',
  'tasks.paused_at',
  'tasks.due_provisional',
  'tasks.escalated_to',
  'tasks.reminded_at',
  'pi.business_key',
  'd.process_key',
  'd.version as definition_version',
  'dep.code as department_code',
  'dep.name as department_name',
] as const;

export interface TaskFilter {
  status: TaskStatus;
  scope: 'mine' | 'available' | 'all';
  role?: string;
  dueBefore?: Date;
  /** Traffic-light filter; boundaries computed with the calendar by the caller. */
  deadline?: { state: 'overdue' | 'due_soon' | 'normal' | 'paused' | 'none'; now: Date; soon: Date };
  instanceId?: string;
  /** The step of the review the task is (`fashen:step`), whatever its element is called. */
  step?: string;
  category?: string;
  sort: 'due_at' | 'created_at';
  limit: number;
  offset: number;
}

/** Who is looking at task lists: a user with roles in a department, or one who reads every department's. */
export interface TaskViewer {
  id: string;
  departmentId: string;
  roles: readonly string[];
  allDepartments: boolean;
}

/**
 * Tasks the caller may see: in their department, of a role they hold (supervisors and admins see every
 * department's). `mine` = claimed by or assigned to them; `available` = unclaimed; `all` = both.
 */
function visibleTasks(db: Db, actor: TaskViewer, f: Pick<TaskFilter, 'status' | 'scope'>) {
  let query = db
    .selectFrom('tasks')
    .innerJoin('process_instances as pi', 'pi.id', 'tasks.instance_id')
    .where('tasks.status', '=', f.status);
  if (!actor.allDepartments) {
    // A task is the business of its role, and of the escalation target once its deadline has passed.
    // A pool reviewer from another department sees the tasks assigned to them by name.
    query = query.where((eb) =>
      eb.or([
        eb('tasks.assignee_id', '=', actor.id),
        eb.and([
          eb('tasks.department_id', '=', actor.departmentId),
          eb.or([eb('tasks.role', 'in', actor.roles), eb('tasks.escalated_to', 'in', actor.roles)]),
        ]),
      ]),
    );
  }
  if (f.scope === 'mine') query = query.where('tasks.assignee_id', '=', actor.id);
  if (f.scope === 'available') query = query.where('tasks.assignee_id', 'is', null);
  if (f.scope === 'all' && !actor.allDepartments) {
    // Someone else's claimed task is theirs, unless it is overdue and escalated to one of the caller's roles.
    query = query.where((eb) =>
      eb.or([
        eb('tasks.assignee_id', 'is', null),
        eb('tasks.assignee_id', '=', actor.id),
        eb('tasks.escalated_to', 'in', actor.roles),
      ]),
    );
  }
  return query;
}

/** How many of the caller's open tasks are in each traffic-light state. */
export async function countTasksByState(db: Db, actor: TaskViewer, now: Date, soon: Date) {
  const row = await visibleTasks(db, actor, { status: 'open', scope: 'all' })
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) filter (where tasks.paused_at is not null)`.as('paused'),
      sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at < ${now})`.as('overdue'),
      sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at >= ${now} and tasks.due_at <= ${soon})`.as(
        'due_soon',
      ),
      sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at > ${soon})`.as('normal'),
      sql<string>`count(*) filter (where tasks.paused_at is null and tasks.due_at is null)`.as('none'),
    ])
    .executeTakeFirstOrThrow();
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as Record<
    'total' | 'paused' | 'overdue' | 'due_soon' | 'normal' | 'none',
    number
  >;
}

export function listTasks(db: Db, actor: TaskViewer, f: TaskFilter) {
  let query = visibleTasks(db, actor, f)
    .innerJoin('workflow_definitions as d', 'd.id', 'pi.definition_id')
    .innerJoin('departments as dep', 'dep.id', 'tasks.department_id')
    .select(taskColumns)
    .select([
      sql<string | null>`pi.variables->>'caseId'`.as('case_id'),
      sql<string | null>`pi.variables->>'caseTitle'`.as('case_title'),
      sql<string | null>`pi.variables->>'category'`.as('category'),
    ]);
  if (f.step) query = query.where('tasks.step', '=', f.step);
  if (f.category) query = query.where(sql<string>`pi.variables->>'category'`, '=', f.category);
  if (f.role) query = query.where('tasks.role', '=', f.role);
  if (f.dueBefore) query = query.where('tasks.due_at', '<=', f.dueBefore);
  if (f.instanceId) query = query.where('tasks.instance_id', '=', f.instanceId);
  if (f.deadline) {
    const { state, now, soon } = f.deadline;
    if (state === 'paused') query = query.where('tasks.paused_at', 'is not', null);
    else {
      query = query.where('tasks.paused_at', 'is', null);
      if (state === 'none') query = query.where('tasks.due_at', 'is', null);
      if (state === 'overdue') query = query.where('tasks.due_at', '<', now);
      if (state === 'due_soon') query = query.where('tasks.due_at', '>=', now).where('tasks.due_at', '<=', soon);
      if (state === 'normal') query = query.where('tasks.due_at', '>', soon);
    }
  }
  const order = f.sort === 'due_at' ? 'tasks.due_at' : 'tasks.created_at';
  return query
    .orderBy(order, (ob) => ob.asc().nullsLast())
    .orderBy('tasks.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

export function claimTask(db: Db, taskId: string, userId: string) {
  return db
    .updateTable('tasks')
    .set({ assignee_id: userId })
    .where('id', '=', taskId)
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '=', userId)]))
    .executeTakeFirst();
}

export function listInstances(
  db: Db,
  f: { departmentId?: string; status?: 'running' | 'completed' | 'failed'; limit: number; offset: number },
) {
  let query = db
    .selectFrom('process_instances as pi')
    .innerJoin('workflow_definitions as d', 'd.id', 'pi.definition_id')
    .select([
      'pi.id',
      'pi.department_id',
      'pi.business_key',
      'pi.status',
      'pi.version',
      'pi.error',
      'pi.created_at',
      'pi.updated_at',
      'pi.ended_at',
      'd.process_key',
      'd.version as definition_version',
    ]);
  if (f.departmentId) query = query.where('pi.department_id', '=', f.departmentId);
  if (f.status) query = query.where('pi.status', '=', f.status);
  return query.orderBy('pi.updated_at', 'desc').limit(f.limit).offset(f.offset).execute();
}

export function instanceHistory(db: Db, instanceId: string) {
  return db
    .selectFrom('instance_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.type', 'e.element_id', 'e.actor_id', 'u.display_name as actor_name', 'e.payload', 'e.at'])
    .where('e.instance_id', '=', instanceId)
    .orderBy('e.id')
    .execute();
}

export function instanceTasks(db: Db, instanceId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'element_id', 'name', 'role', 'assignee_id', 'status', 'due_at', 'created_at', 'ended_at'])
    .where('instance_id', '=', instanceId)
    .orderBy('created_at')
    .execute();
}

export function instanceTimers(db: Db, instanceId: string) {
  return db
    .selectFrom('timers')
    .select(['id', 'element_id', 'timer_type', 'due_at', 'status', 'ended_at'])
    .where('instance_id', '=', instanceId)
    .orderBy('created_at')
    .execute();
}
