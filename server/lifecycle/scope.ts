import type { Transaction } from 'kysely';
import type { CaseRow } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import type * as q from './queries.js';

/** What a handler sees: the case (locked by the caller), its lifecycle and stages as they are now. */
export interface EventScope {
  trx: Transaction<DB>;
  c: CaseRow;
  lc: q.Lifecycle | undefined;
  stages: q.Stage[];
  calendar: WorkingCalendar;
  today: string;
  now: Date;
  actorId: string | null;
  /** The review round this event sent the case back to (set when the facts or proposal changed). */
  reopenedRound: number | null;
}

/** What a handler did: the stage it touched, what the record says, and the timers to (re)schedule or cancel. */
export interface Applied {
  stageId: string | null;
  details: Record<string, unknown>;
  timers?: { schedule?: { kind: string; dueAt: Date }[]; cancel?: boolean };
  noticeTimer?: Date;
}

export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError(409, 'CONFLICT', message, details);
export const invalid = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(400, 'VALIDATION_FAILED', message, { field, ...details });

export function mustBeOpenForProcedure(s: EventScope) {
  if (s.c.decision) throw conflict('本案已作出决定，不能再记录告知、陈述申辩或听证');
}
