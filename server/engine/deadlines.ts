import type { WorkingCalendar } from '../workdays/calendar.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addCalendarDays, addWorkingDays, remainingWorkingDays, workingDaysBetween } from '../workdays/deadlines.js';
import type { UserTaskSpec } from './definition.js';
import type { TaskDeadline } from './tables.js';

/** A task deadline resolved against the calendar. */
export interface ResolvedDeadline {
  dueAt: Date;
  provisional: boolean;
  /** When the reminder is due (reminderDays working days before the due day), if any. */
  remindAt: Date | null;
}

export type DeadlineState = 'none' | 'normal' | 'due_soon' | 'overdue' | 'paused';

function add(calendar: WorkingCalendar, d: Pick<TaskDeadline, 'unit'>, from: string, n: number) {
  return d.unit === 'calendar_days' ? addCalendarDays(calendar, from, n) : addWorkingDays(calendar, from, n);
}

/** The deadline a user task gets when it is created, from its modelled limit; null if it has none. */
export function deadlineFor(
  spec: UserTaskSpec,
  createdAt: Date,
  variables: Record<string, unknown> = {},
): TaskDeadline | null {
  const fromVariable = spec.deadlineVariable ? variables[spec.deadlineVariable] : undefined;
  const days =
    typeof fromVariable === 'number' && Number.isInteger(fromVariable) && fromVariable >= 1 && fromVariable <= 365
      ? fromVariable
      : spec.deadlineWorkingDays;
  if (!days || days < 1) return null;
  return {
    unit: spec.deadlineUnit === 'calendar_days' ? 'calendar_days' : 'working_days',
    days,
    basisDate: instantToShanghaiDate(createdAt),
    basisDays: days,
    extendedDays: 0,
    reminderDays: spec.reminderWorkingDays && spec.reminderWorkingDays > 0 ? spec.reminderWorkingDays : null,
    escalateTo: spec.escalateTo,
  };
}

/**
 * Due time: the end (23:59:59 Asia/Shanghai) of the basisDays-th day after basisDate, the basis day itself
 * not counted. The reminder falls at the end of the day that leaves reminderDays days, or at once if the
 * limit is shorter than that.
 */
export function resolveDeadline(calendar: WorkingCalendar, d: TaskDeadline): ResolvedDeadline {
  const due = add(calendar, d, d.basisDate, Math.max(d.basisDays, 1));
  let remindAt: Date | null = null;
  if (d.reminderDays) {
    const lead = d.basisDays - d.reminderDays;
    remindAt = lead >= 1 ? add(calendar, d, d.basisDate, lead).dueAt : new Date(0);
  }
  return { dueAt: due.dueAt, provisional: due.provisional, remindAt };
}

/** Stops the clock: keeps the working days that remain after today. */
export function pauseDeadline(calendar: WorkingCalendar, d: TaskDeadline, now: Date, dueAt: Date): TaskDeadline {
  const today = instantToShanghaiDate(now);
  const dueDay = instantToShanghaiDate(dueAt);
  const remaining =
    d.unit === 'calendar_days'
      ? Math.round((Date.parse(dueDay) - Date.parse(today)) / 86_400_000)
      : workingDaysBetween(calendar, today, dueDay);
  return { ...d, remainingAtPause: Math.max(remaining, 0) };
}

/** Restarts the clock from today with what remained at the pause (at least one day, so it is not already late). */
export function resumeDeadline(d: TaskDeadline, now: Date): TaskDeadline {
  const { remainingAtPause, ...rest } = d;
  return { ...rest, basisDate: instantToShanghaiDate(now), basisDays: Math.max(remainingAtPause ?? d.basisDays, 1) };
}

export function extendDeadline(d: TaskDeadline, days: number): TaskDeadline {
  return {
    ...d,
    basisDays: d.basisDays + days,
    extendedDays: d.extendedDays + days,
    ...(d.remainingAtPause !== undefined && { remainingAtPause: d.remainingAtPause + days }),
  };
}

/** The traffic light of a task list: red when overdue, yellow with one working day or less left. */
export function deadlineState(
  calendar: WorkingCalendar,
  task: { due_at: Date | null; paused_at: Date | null },
  now: Date,
): { state: DeadlineState; remainingWorkingDays: number | null } {
  if (task.paused_at) return { state: 'paused', remainingWorkingDays: null };
  if (!task.due_at) return { state: 'none', remainingWorkingDays: null };
  const remaining = remainingWorkingDays(calendar, now, task.due_at);
  if (task.due_at.getTime() < now.getTime()) return { state: 'overdue', remainingWorkingDays: Math.min(remaining, -1) };
  return { state: remaining <= 1 ? 'due_soon' : 'normal', remainingWorkingDays: remaining };
}

/** The latest due time that still counts as "due soon" (≤ 1 working day left), for filtering in SQL. */
export function dueSoonBoundary(calendar: WorkingCalendar, now: Date): Date {
  return addWorkingDays(calendar, instantToShanghaiDate(now), 1).dueAt;
}
