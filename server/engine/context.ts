import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import type { Clock } from '../infra/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import type { DefinitionLoader } from './definition.js';
import type { FormValidators } from './forms.js';
import type { HistoryListeners, ServiceRegistry, TimerKindRegistry } from './registry.js';
import type { WarmEngines } from './warm-engines.js';

/** The holiday calendar the engine counts working days with (the calendar capability, given at assembly). */
export interface WorkingCalendarSource {
  calendarFor(db: Kysely<DB> | Transaction<DB>): Promise<WorkingCalendar>;
}

/** Where the engine finds deployed definitions (the definitions capability, given at assembly). */
export interface DefinitionSource {
  latest(db: Database, departmentId: string, processKey: string): Promise<{ id: string } | undefined>;
}

/**
 * What the engine's functions need; built once per process by the assembly, never global. Capabilities plug in
 * through the registries: service tasks, timer kinds and history listeners.
 */
export interface RuntimeContext {
  db: Database;
  calendar: WorkingCalendarSource;
  cache: DefinitionLoader;
  definitions: DefinitionSource;
  queues: JobQueues;
  services: ServiceRegistry;
  timerKinds: TimerKindRegistry;
  history: HistoryListeners;
  clock: Clock;
  log: FastifyBaseLogger;
  stepBudget: number;
  /** Compiled form validators, kept per (cached, immutable) user task spec and the extra fields added to it. */
  formValidators: FormValidators;
  /** Engines kept after their command, so the next one on the instance skips recovery; none when absent. */
  warm?: WarmEngines;
}
