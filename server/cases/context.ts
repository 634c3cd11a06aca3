import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../database/connect.js';
import type { RuntimeContext } from '../engine/context.js';
import type { Clock } from '../infra/clock.js';
import type { DocumentReader } from './documents-port.js';
import type { DecisionPrecondition } from './gate.js';
import type { Packet } from './tables.js';

/** What the cases capability needs from the process it runs in. */
export interface CaseContext {
  db: Database;
  runtime: RuntimeContext;
  calendar: CalendarService;
  clock: Clock;
  documents: DocumentReader;
  /** Where attachment files are kept (content-addressed by SM3). */
  attachmentsDir: string;
  attachmentMaxBytes: number;
  /** Conditions other capabilities put before the recorded decision (filled at assembly). */
  decisionPreconditions?: readonly DecisionPrecondition[];
  /**
   * Checks a packet's discretion against the department's benchmark (the discretion capability, wired by the
   * assembly); throws the refusal. Absent, packets are taken without that check.
   */
  discretionCheck?: (db: Database, departmentId: string, packet: Packet) => Promise<void>;
}
