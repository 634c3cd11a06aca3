import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export type InstanceStatus = 'running' | 'completed' | 'failed';
export type TaskStatus = 'open' | 'completed' | 'cancelled';
export type TimerStatus = 'pending' | 'fired' | 'cancelled';

export interface InstanceError {
  code: string;
  message: string;
  /** The command that failed, kept so that an operator can retry it. */
  command: unknown;
  at: string;
}

export interface ProcessInstancesTable {
  id: Generated<string>;
  definition_id: string;
  department_id: string;
  business_key: string | null;
  status: InstanceStatus;
  state: Json<unknown | null>;
  variables: Json<Record<string, unknown>>;
  version: Generated<number>;
  error: Json<InstanceError | null>;
  started_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  ended_at: Date | null;
}

export interface TasksTable {
  id: Generated<string>;
  instance_id: string;
  department_id: string;
  element_id: string;
  execution_id: string;
  name: string;
  /** What the task is in the review (its user task's `fashen:step`); null for a task that says nothing. */
  step: ColumnType<string | null, string | null | undefined, string | null>;
  role: string;
  assignee_id: string | null;
  form: Json<unknown | null>;
  status: Generated<TaskStatus>;
  due_at: Date | null;
  created_at: Generated<Date>;
  ended_at: Date | null;
  completed_by: string | null;
  deadline: ColumnType<TaskDeadline | null, string | null | undefined, string | null>;
  due_provisional: Generated<boolean>;
  paused_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  reminded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  escalated_to: ColumnType<string | null, string | null | undefined, string | null>;
  escalated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/**
 * The basis of a task's deadline. The due time is always recomputed from it with the calendar, so a newly
 * loaded holiday notice, an approved extension or a pause/resume changes it consistently.
 */
export interface TaskDeadline {
  unit: 'working_days' | 'calendar_days';
  /** The limit as modelled (e.g. 5 working days). */
  days: number;
  /** Shanghai civil date the count runs from: the task's creation, or the day the clock was resumed. */
  basisDate: string;
  /** Days counted from basisDate: the limit, or what remained at a pause, plus approved extensions. */
  basisDays: number;
  extendedDays: number;
  reminderDays: number | null;
  escalateTo: string | null;
  /** Working days that remained when the clock was paused. */
  remainingAtPause?: number;
}

/**
 * Who fires a timer: the engine's own kinds ('engine' for BPMN timer events, 'task_deadline', 'task_reminder')
 * or a kind a capability registered with its handler (see TimerKindRegistry).
 */
export type TimerKind = string;

export interface DeadlineExtensionsTable {
  id: Generated<string>;
  task_id: string;
  instance_id: string;
  department_id: string;
  working_days: number;
  reason: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  requested_by: string;
  requested_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export interface TimersTable {
  id: Generated<string>;
  instance_id: string;
  element_id: string;
  execution_id: string;
  timer_type: string;
  due_at: Date;
  status: Generated<TimerStatus>;
  created_at: Generated<Date>;
  ended_at: Date | null;
  kind: Generated<TimerKind>;
  task_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** `P<n>WD` engine timers: n, and the Shanghai date (YYYY-MM-DD) the working days are counted from. */
  working_days: ColumnType<number | null, number | null | undefined, number | null>;
  basis_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** Counted Monday–Friday for a year without a holiday notice; counted again when it is loaded. */
  due_provisional: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface InstanceEventsTable {
  id: Generated<number>;
  instance_id: string;
  type: string;
  element_id: string | null;
  actor_id: string | null;
  payload: Json<Record<string, unknown>>;
  at: Generated<Date>;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  payload: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface RuntimeTables {
  process_instances: ProcessInstancesTable;
  tasks: TasksTable;
  timers: TimersTable;
  instance_events: InstanceEventsTable;
  outbox: OutboxTable;
  deadline_extensions: DeadlineExtensionsTable;
}

export type InstanceRow = Selectable<ProcessInstancesTable>;
export type TaskRow = Selectable<TasksTable>;
export type TimerRow = Selectable<TimersTable>;
