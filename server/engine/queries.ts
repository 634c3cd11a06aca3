import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { StoredHistoryEvent } from './registry.js';
import type { InstanceError, InstanceStatus, TaskStatus } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

// Task deadlines and extensions live in their own file; callers keep using this module.
export * from './deadline-queries.js';

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

export function insertTimers(
  trx: Transaction<DB>,
  rows: {
    instance_id: string;
    element_id: string;
    execution_id: string;
    timer_type: string;
    due_at: Date;
    working_days: number | null;
    basis_date: string | null;
    due_provisional: boolean;
  }[],
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

/** Inserts into the instance history; returns the events with the time the database gave them. */
export async function insertEvents(
  trx: Transaction<DB>,
  events: Omit<StoredHistoryEvent, 'at'>[],
): Promise<StoredHistoryEvent[]> {
  if (events.length === 0) return [];
  const inserted = await trx
    .insertInto('instance_events')
    .values(events.map((e) => ({ ...e, payload: JSON.stringify(e.payload) })))
    .returning('at')
    .execute();
  return events.map((e, i) => ({ ...e, at: inserted[i].at }));
}

export function insertOutbox(trx: Transaction<DB>, rows: { topic: string; payload: Record<string, unknown> }[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto('outbox')
    .values(rows.map((r) => ({ topic: r.topic, payload: JSON.stringify(r.payload) })))
    .returning('id')
    .execute();
}
