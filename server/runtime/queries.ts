import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { recordInstanceEvents } from '../records/append.js';
import type { InstanceError, InstanceStatus, TaskDeadline, TaskStatus } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Locks the instance row for the rest of the transaction: commands on one instance run one at a time. */
export function lockInstance(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('process_instances').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertInstance(
  trx: Transaction<DB>,
  values: {
    definitionId: string;
    departmentId: string;
    businessKey: string | null;
    variables: Record<string, unknown>;
    startedBy: string | null;
    status: InstanceStatus;
    error?: InstanceError | null;
  },
) {
  return trx
    .insertInto('process_instances')
    .values({
      definition_id: values.definitionId,
      department_id: values.departmentId,
      business_key: values.businessKey,
      status: values.status,
      state: JSON.stringify(null),
      variables: JSON.stringify(values.variables),
      error: JSON.stringify(values.error ?? null),
      started_by: values.startedBy,
      ended_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function saveInstance(
  trx: Transaction<DB>,
  id: string,
  values: { state: unknown; variables: Record<string, unknown>; status: InstanceStatus; version: number },
) {
  return trx
    .updateTable('process_instances')
    .set({
      state: JSON.stringify(values.state),
      variables: JSON.stringify(values.variables),
      status: values.status,
      version: values.version,
      error: JSON.stringify(null),
      updated_at: sql`now()`,
      ended_at: values.status === 'completed' ? sql`now()` : null,
    })
    .where('id', '=', id)
    .execute();
}

export function markInstanceFailed(db: Db, id: string, error: InstanceError) {
  return db
    .updateTable('process_instances')
    .set({ status: 'failed', error: JSON.stringify(error), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function openTasksOfInstance(trx: Transaction<DB>, instanceId: string) {
  return trx
    .selectFrom('tasks')
    .select(['id', 'execution_id', 'element_id'])
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .execute();
}

export function insertTasks(
  trx: Transaction<DB>,
  rows: {
    instance_id: string;
    department_id: string;
    element_id: string;
    execution_id: string;
    name: string;
    role: string;
    assignee_id: string | null;
    form: string;
    due_at: Date | null;
  }[],
) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto('tasks')
    .values(rows.map((r) => ({ ...r, ended_at: null, completed_by: null })))
    .returning(['id', 'element_id', 'execution_id'])
    .execute();
}

export function closeTasks(trx: Transaction<DB>, ids: string[], status: TaskStatus, completedBy: string | null) {
  if (ids.length === 0) return Promise.resolve();
  return trx
    .updateTable('tasks')
    .set({ status, ended_at: sql`now()`, completed_by: completedBy })
    .where('id', 'in', ids)
    .execute();
}

/** Due time from boundary timers; a task with a modelled deadline keeps the calendar's. */
export function updateTaskDue(trx: Transaction<DB>, id: string, dueAt: Date | null) {
  return trx.updateTable('tasks').set({ due_at: dueAt }).where('id', '=', id).where('deadline', 'is', null).execute();
}

export function pendingTimersOfInstance(trx: Transaction<DB>, instanceId: string) {
  return trx
    .selectFrom('timers')
    .select(['id', 'execution_id', 'element_id', 'due_at'])
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'pending')
    .where('kind', '=', 'engine')
    .execute();
}

export function pendingTaskTimers(trx: Transaction<DB>, taskIds: string | string[]) {
  const ids = Array.isArray(taskIds) ? taskIds : [taskIds];
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('timers')
    .select(['id', 'task_id', 'kind', 'due_at'])
    .where('task_id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

export function insertTaskTimers(
  trx: Transaction<DB>,
  rows: {
    instance_id: string;
    task_id: string;
    element_id: string;
    kind: 'task_deadline' | 'task_reminder';
    due_at: Date;
  }[],
) {
  return trx
    .insertInto('timers')
    .values(
      rows.map((r) => ({
        ...r,
        execution_id: `${r.kind}:${r.task_id}:${r.due_at.getTime()}`,
        timer_type: r.kind === 'task_deadline' ? 'deadline' : 'reminder',
        ended_at: null,
      })),
    )
    .returning(['id', 'kind', 'due_at'])
    .execute();
}

export function updateTaskDeadline(
  trx: Transaction<DB>,
  taskId: string,
  v: { deadline: TaskDeadline; dueAt: Date | null; provisional: boolean; pausedAt: Date | null },
) {
  return trx
    .updateTable('tasks')
    .set({
      deadline: JSON.stringify(v.deadline),
      due_at: v.dueAt,
      due_provisional: v.provisional,
      paused_at: v.pausedAt,
    })
    .where('id', '=', taskId)
    .execute();
}

export function insertTimers(
  trx: Transaction<DB>,
  rows: { instance_id: string; element_id: string; execution_id: string; timer_type: string; due_at: Date }[],
) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto('timers')
    .values(rows.map((r) => ({ ...r, ended_at: null })))
    .returning(['id', 'element_id', 'execution_id', 'due_at'])
    .execute();
}

export function closeTimers(trx: Transaction<DB>, ids: string[], status: 'fired' | 'cancelled') {
  if (ids.length === 0) return Promise.resolve();
  return trx.updateTable('timers').set({ status, ended_at: sql`now()` }).where('id', 'in', ids).execute();
}

export function findTimer(db: Db, id: string) {
  return db.selectFrom('timers').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Appends to the instance history. An instance that belongs to a review case also appends each event to the
 * case's tamper-evident record (执法全过程记录) in the same transaction: both commit or neither does.
 */
export async function appendEvents(
  trx: Transaction<DB>,
  events: {
    instance_id: string;
    type: string;
    element_id: string | null;
    actor_id: string | null;
    payload: Record<string, unknown>;
  }[],
): Promise<void> {
  if (events.length === 0) return;
  const inserted = await trx
    .insertInto('instance_events')
    .values(events.map((e) => ({ ...e, payload: JSON.stringify(e.payload) })))
    .returning('at')
    .execute();
  await recordInstanceEvents(
    trx,
    events.map((e, i) => ({ ...e, at: inserted[i].at })),
  );
}

export function insertOutbox(trx: Transaction<DB>, rows: { topic: string; payload: Record<string, unknown> }[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto('outbox')
    .values(rows.map((r) => ({ topic: r.topic, payload: JSON.stringify(r.payload) })))
    .returning('id')
    .execute();
}

export function findTaskForClock(db: Db, taskId: string) {
  return db
    .selectFrom('tasks')
    .select([
      'id',
      'instance_id',
      'element_id',
      'status',
      'deadline',
      'due_at',
      'paused_at',
      'department_id',
      'role',
      'assignee_id',
    ])
    .where('id', '=', taskId)
    .executeTakeFirst();
}

export function markTaskReminded(trx: Transaction<DB>, taskId: string, at: Date) {
  return trx.updateTable('tasks').set({ reminded_at: at }).where('id', '=', taskId).execute();
}

export function markTaskEscalated(trx: Transaction<DB>, taskId: string, escalatedTo: string | null, at: Date) {
  return trx
    .updateTable('tasks')
    .set({ escalated_to: escalatedTo, escalated_at: at })
    .where('id', '=', taskId)
    .execute();
}

export function provisionalTasks(db: Db) {
  return db
    .selectFrom('tasks')
    .select(['id', 'instance_id'])
    .where('status', '=', 'open')
    .where('due_provisional', '=', true)
    .execute();
}

export function insertExtension(
  trx: Transaction<DB>,
  v: {
    task_id: string;
    instance_id: string;
    department_id: string;
    working_days: number;
    reason: string;
    requested_by: string;
  },
) {
  return trx
    .insertInto('deadline_extensions')
    .values({ ...v, decided_by: null, decided_at: null, decision_note: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findExtension(db: Db, id: string) {
  return db.selectFrom('deadline_extensions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listExtensions(db: Db, taskId: string) {
  return db
    .selectFrom('deadline_extensions')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('requested_at')
    .execute();
}

export function decideExtension(
  trx: Transaction<DB>,
  id: string,
  v: { approved: boolean; decidedBy: string; note: string | null; at: Date },
) {
  return trx
    .updateTable('deadline_extensions')
    .set({
      status: v.approved ? 'approved' : 'rejected',
      decided_by: v.decidedBy,
      decided_at: v.at,
      decision_note: v.note,
    })
    .where('id', '=', id)
    .execute();
}
