import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { TaskDeadline } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Queries of task deadlines: their timers, reminder and escalation marks, and extension requests. */

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
      'due_provisional',
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
