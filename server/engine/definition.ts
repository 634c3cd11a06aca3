import type { Kysely, Transaction } from 'kysely';
import type { SerializableContext } from 'moddle-context-serializer';
import type { CatalogueItem } from '../../workflows/lint/catalogue.js';
import type { Step } from '../../workflows/lint/steps.js';
import type { DB } from '../database/schema.js';
import type { FormField } from './forms.js';

// What the engine runs: a deployed definition compiled from validated BPMN (server/definitions compiles it).

/** What the runtime needs to know about a user task beyond what the engine does. */
export interface UserTaskSpec {
  elementId: string;
  name: string;
  /** What the task is in the review (`fashen:step`): forms, pages and figures find it by this, never by its id. */
  step: Step | null;
  role: string;
  assignee: 'initiator' | null;
  /** Case variable holding the id of the user the task is assigned to (e.g. the reviewer picked by a service). */
  assigneeVariable: string | null;
  /** Case variable holding the limit in days (e.g. the catalogue item's review time); deadlineWorkingDays is the default. */
  deadlineVariable: string | null;
  form: FormField[];
  deadlineWorkingDays: number | null;
  /** How the limit is counted: 工作日 (default) or calendar days ("N日"). */
  deadlineUnit: 'working_days' | 'calendar_days';
  reminderWorkingDays: number | null;
  escalateTo: string | null;
  /** The document (文书) the task produces: one of DOCUMENT_KINDS, or null when it produces none. */
  documentTemplate: string | null;
  /** Timer boundary events attached to the task (their firing is the runtime's business). */
  boundaryTimerIds: string[];
  /** 会签: one task per element (a user id) of a case variable's list; null for an ordinary task. */
  multiInstance: MultiInstanceSpec | null;
}

export interface MultiInstanceSpec {
  isSequential: boolean;
  /** The case variable holding the list of user ids. */
  collection: string;
  elementVariable: string;
  /** The case variable where each iteration's form is kept, by assignee id (never merged into the case's). */
  outputVariable: string;
}

/** A deployed definition ready to run: built once per definition id, shared by every engine that runs it. */
export interface CompiledDefinition {
  definitionId: string;
  departmentId: string;
  processKey: string;
  version: number;
  name: string;
  /** For `new Engine({ sourceContext })`; read-only, so one serves any number of engines. */
  sourceContext: SerializableContext;
  userTasks: Map<string, UserTaskSpec>;
  /** Service task element id → the whitelisted service name it calls. */
  serviceTasks: Map<string, string>;
  /** The catalogue of major decisions (目录清单) the process declares, in document order; empty when none. */
  catalogue: CatalogueItem[];
}

/** Where commands get compiled definitions by id (a cache in front of the definitions capability). */
export interface DefinitionLoader {
  get(db: Kysely<DB> | Transaction<DB>, definitionId: string): Promise<CompiledDefinition>;
}
