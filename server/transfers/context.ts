import type { FastifyBaseLogger } from 'fastify';
import type { CalendarService } from '../calendar/service.js';
import type { CaseContext } from '../cases/context.js';
import type { Database } from '../database/connect.js';
import type { TemplateSource } from '../documents/template-source.js';
import type { HistoryListeners } from '../engine/registry.js';
import type { Clock } from '../infra/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import type { DocumentSigner } from '../records/signatures.js';

/** What the transfer of a case works with; built once by the assembly. */
export interface TransfersContext {
  db: Database;
  calendar: CalendarService;
  clock: Clock;
  queues: JobQueues;
  log: FastifyBaseLogger;
  templates: TemplateSource;
  signer: DocumentSigner;
  history: HistoryListeners;
  /** The review's context: the case as its caller may see it, and its resumption after a return. */
  cases: CaseContext;
}
