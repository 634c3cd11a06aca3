import type { FastifyBaseLogger } from 'fastify';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../database/connect.js';
import type { DefinitionCache } from '../definitions/compile.js';
import type { buildFormValidator } from '../definitions/forms.js';
import type { Clock } from '../infra/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import type { ServiceRegistry } from './registry.js';

/** What the runtime's service functions need; built once per process (app or worker), never global. */
export interface RuntimeContext {
  db: Database;
  calendar: CalendarService;
  cache: DefinitionCache;
  queues: JobQueues;
  services: ServiceRegistry;
  clock: Clock;
  log: FastifyBaseLogger;
  stepBudget: number;
  /** Compiled form validators, keyed by the (cached, immutable) user task spec they check. */
  formValidators: WeakMap<object, ReturnType<typeof buildFormValidator>>;
}
