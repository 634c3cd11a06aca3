import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { LockedLookup, StoredHistoryEvent } from './registry.js';
import type { InstanceError, InstanceRow, InstanceStatus, ProcessInstancesTable, TaskStatus } from './tables.js';

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

/** The instance's save after a command, for the command's WriteBatch; `stateJson` is the saved state as JSON. */
export function saveInstance(
  trx: Transaction<DB>,
  id: string,
  values: { stateJson: string; variables: Record<string, unknown>; status: InstanceStatus; version: number },
) {
  return trx
    .updateTable('process_instances')
    .set({
      state: values.stateJson,
      variables: JSON.stringify(values.variables),
      status: values.status,
      version: values.version,
      error: JSON.stringify(null),
      updated_at: sql`now()`,
      ended_at: values.status === 'completed' ? sql`now()` : null,
    })
    .where('id', '=', id);
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

type WaitingRow = { id: string; execution_id: string; element_id: string };

/** Every column of process_instances but the state, which the lock reads only when it is needed. */
const INSTANCE_COLUMNS_BUT_STATE = [
  'id',
  'definition_id',
  'department_id',
  'business_key',
  'status',
  'variables',
  'version',
  'error',
  'started_by',
  'created_at',
  'updated_at',
  'ended_at',
] as const satisfies readonly Exclude<keyof ProcessInstancesTable, 'state'>[];
// A column added to the table and not to the list above fails to compile here, instead of being left out of the row.
type Unlisted = Exclude<keyof ProcessInstancesTable, 'state' | (typeof INSTANCE_COLUMNS_BUT_STATE)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyColumnListed;

/**
 * Locks the instance row and reads what a command compares its engine with (open user tasks and pending engine
 * timers) in one statement. The read runs in fashen_instance_waiting, a VOLATILE function called on the row the
 * lock returned: it takes its own snapshot after the lock is held, so it sees whatever the previous holder
 * committed (a plain subquery would read with the statement's snapshot, taken before waiting for the lock).
 *
 * The saved state (tens of KB of JSON) is left out when the row's version is `unlessVersion`: a command holding a
 * warm engine saved as that version does not recover, so the database neither detoasts nor sends the state and
 * the server does not parse it. `stateOmitted` says so; should the warm engine not do after all, `instanceState`
 * reads the state under the same lock.
 */
export async function lockInstanceWithWaiting(
  trx: Transaction<DB>,
  id: string,
  unlessVersion: number | null = null,
  lookups: readonly LockedLookup[] = [],
) {
  const columns = sql.join(INSTANCE_COLUMNS_BUT_STATE.map((c) => sql.ref(`l.${c}`)));
  const lookedUpColumn = lookups.length
    ? sql`, json_build_array(${sql.join(lookups.map((lookup) => sql`(${lookup(sql.ref('l.id'))})`))}) as looked_up`
    : sql``;
  const { rows } = await sql<
    InstanceRow & { waiting: unknown; state_omitted: boolean; looked_up?: unknown; tx_now: Date | string }
  >`
    with l as materialized (select * from process_instances where id = ${id} for update)
    select ${columns}, now() as tx_now,
      case when l.version = ${unlessVersion}::integer then null else l.state end as state,
      (l.version = ${unlessVersion}::integer and l.state is not null) is true as state_omitted,
      fashen_instance_waiting(l.id) as waiting${lookedUpColumn}
    from l`.execute(trx);
  if (rows.length === 0) return undefined;
  const { waiting, state_omitted: stateOmitted, looked_up: lookedUpJson, tx_now: txNow, ...row } = rows[0];
  const lookedUp = (typeof lookedUpJson === 'string' ? JSON.parse(lookedUpJson) : (lookedUpJson ?? [])) as unknown[];
  const w = (typeof waiting === 'string' ? JSON.parse(waiting) : waiting) as {
    tasks: WaitingRow[] | null;
    timers: (WaitingRow & { due_at: string })[] | null;
  };
  return {
    row: row as InstanceRow,
    /** The transaction's time, now(): what the history rows it writes get as `at`. */
    at: new Date(txNow),
    stateOmitted,
    /** The history listeners' lookups, in their order. */
    lookedUp,
    waiting: {
      tasks: w.tasks ?? [],
      timers: (w.timers ?? []).map((t) => ({ ...t, due_at: new Date(t.due_at) })),
    },
  };
}

/** The saved state of an instance the transaction has locked (see `lockInstanceWithWaiting`). */
export async function instanceState(trx: Transaction<DB>, id: string): Promise<unknown> {
  const row = await trx.selectFrom('process_instances').select('state').where('id', '=', id).executeTakeFirstOrThrow();
  return row.state;
}

/** New task rows with ids chosen here, for the command's WriteBatch. */
export function insertTasks(
  trx: Transaction<DB>,
  rows: {
    id: string;
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
  return trx.insertInto('tasks').values(rows.map((r) => ({ ...r, ended_at: null, completed_by: null })));
}

/** For the command's WriteBatch; `ids` must not be empty. */
export function closeTasks(trx: Transaction<DB>, ids: string[], status: TaskStatus, completedBy: string | null) {
  return trx
    .updateTable('tasks')
    .set({ status, ended_at: sql`now()`, completed_by: completedBy })
    .where('id', 'in', ids);
}

/** Due time from boundary timers; a task with a modelled deadline keeps the calendar's. */
export function updateTaskDue(trx: Transaction<DB>, id: string, dueAt: Date | null) {
  return trx.updateTable('tasks').set({ due_at: dueAt }).where('id', '=', id).where('deadline', 'is', null).execute();
}

/** updateTaskDue for the command's WriteBatch. */
export function setTaskDue(trx: Transaction<DB>, id: string, dueAt: Date | null) {
  return trx.updateTable('tasks').set({ due_at: dueAt }).where('id', '=', id).where('deadline', 'is', null);
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

/** New engine timer rows with ids chosen here, for the command's WriteBatch. */
export function insertTimers(
  trx: Transaction<DB>,
  rows: {
    id: string;
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
  return trx.insertInto('timers').values(rows.map((r) => ({ ...r, ended_at: null })));
}

/** closeTimers for the command's WriteBatch; `ids` must not be empty. */
export function closeTimersQuery(trx: Transaction<DB>, ids: string[], status: 'fired' | 'cancelled') {
  return trx.updateTable('timers').set({ status, ended_at: sql`now()` }).where('id', 'in', ids);
}

export function closeTimers(trx: Transaction<DB>, ids: string[], status: 'fired' | 'cancelled') {
  if (ids.length === 0) return Promise.resolve();
  return trx.updateTable('timers').set({ status, ended_at: sql`now()` }).where('id', 'in', ids).execute();
}

/**
 * For the command's WriteBatch: cancels the pending timers given by id and every pending timer of the given tasks
 * (a closed task's reminder and deadline), returning the ids it cancelled. One of the lists must not be empty.
 */
export function cancelTimersReturningId(trx: Transaction<DB>, ids: string[], taskIds: string[]) {
  return trx
    .updateTable('timers')
    .set({ status: 'cancelled', ended_at: sql`now()` })
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([...(ids.length ? [eb('id', 'in', ids)] : []), ...(taskIds.length ? [eb('task_id', 'in', taskIds)] : [])]),
    )
    .returning('id');
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
  const inserted = await batchedEvents(trx, events).returning('at').execute();
  return events.map((e, i) => ({ ...e, at: inserted[i].at }));
}

/** History rows for the command's WriteBatch; `at` is the column's default, the transaction's time (now()). */
export function batchedEvents(trx: Transaction<DB>, events: Omit<StoredHistoryEvent, 'at'>[]) {
  return trx.insertInto('instance_events').values(events.map((e) => ({ ...e, payload: JSON.stringify(e.payload) })));
}

/** Outbox rows as part of a WriteBatch. */
export function insertOutboxReturningId(
  trx: Transaction<DB>,
  rows: { topic: string; payload: Record<string, unknown> }[],
) {
  return trx
    .insertInto('outbox')
    .values(rows.map((r) => ({ topic: r.topic, payload: JSON.stringify(r.payload) })))
    .returning('id');
}

export function insertOutbox(trx: Transaction<DB>, rows: { topic: string; payload: Record<string, unknown> }[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto('outbox')
    .values(rows.map((r) => ({ topic: r.topic, payload: JSON.stringify(r.payload) })))
    .returning('id')
    .execute();
}
