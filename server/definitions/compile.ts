import * as Elements from 'bpmn-elements';
import type { BaseElement, Definitions } from 'bpmn-moddle';
import type { Kysely, Transaction } from 'kysely';
import serializer, { type SerializableContext, TypeResolver } from 'moddle-context-serializer';
import { readCatalogue } from '../../workflows/lint/catalogue.js';
import { isStep, LEGACY_STEP_IDS, STEPS, type Step } from '../../workflows/lint/steps.js';
import { childOf, childrenOf, flowElementsDeep, stringOf } from '../../workflows/lint/walk.js';
import type { DB } from '../database/schema.js';
import type { CompiledDefinition, MultiInstanceSpec, UserTaskSpec } from '../engine/definition.js';
import { ClockedTimerEventDefinition } from '../engine/engine-clock.js';
import type { LoopExpression } from '../engine/feel.js';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { readFormFields } from './form-fields.js';
import { type ModdleContext, parseBpmn } from './parse.js';
import { findDefinitionById } from './queries.js';
import type { DefinitionRow } from './tables.js';

export type { CatalogueItem } from '../../workflows/lint/catalogue.js';
export type { CompiledDefinition, UserTaskSpec } from '../engine/definition.js';
export type { FormField } from './form-fields.js';

type DefinitionSource = Pick<DefinitionRow, 'id' | 'department_id' | 'process_key' | 'version' | 'name' | 'xml'>;

// biome-ignore lint/suspicious/noExplicitAny: the serializer's activity objects are untyped
type Any = any;

const asStep = (value: string | undefined): Step | null => (isStep(value) ? value : null);
const integerOrNull = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : null);

function userTaskSpec(task: BaseElement, boundaryTimers: Map<string, string[]>): UserTaskSpec {
  const id = task.id ?? '';
  return {
    elementId: id,
    name: task.name?.trim() || id,
    step: asStep(stringOf(task, 'step')),
    role: stringOf(task, 'role') ?? '',
    assignee: stringOf(task, 'assignee') === 'initiator' ? 'initiator' : null,
    assigneeVariable: stringOf(task, 'assigneeVariable') ?? null,
    deadlineVariable: stringOf(task, 'deadlineVariable') ?? null,
    form: readFormFields(task),
    deadlineWorkingDays: integerOrNull(task.deadlineWorkingDays),
    deadlineUnit: stringOf(task, 'deadlineUnit') === 'calendar_days' ? 'calendar_days' : 'working_days',
    reminderWorkingDays: integerOrNull(task.reminderWorkingDays),
    escalateTo: stringOf(task, 'escalateTo') ?? null,
    documentTemplate: stringOf(task, 'documentTemplate') ?? null,
    boundaryTimerIds: boundaryTimers.get(id) ?? [],
    multiInstance: multiInstanceSpec(task),
  };
}

function multiInstanceSpec(task: BaseElement): MultiInstanceSpec | null {
  const loop = childOf(task, 'loopCharacteristics');
  if (loop?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return null;
  const collection = stringOf(loop, 'collection') ?? '';
  return {
    isSequential: (loop as { isSequential?: boolean }).isSequential === true,
    collection,
    elementVariable: stringOf(loop, 'elementVariable') ?? 'assigneeId',
    outputVariable: stringOf(loop, 'outputVariable') ?? `${task.id}Outputs`,
  };
}

/**
 * The engine resolves a loop's collection and completion condition through the expressions it is given; they are
 * handed over as marked objects (see LoopExpression) so that only these two are ever evaluated, as FEEL.
 */
function markLoopExpressions(context: SerializableContext, userTasks: Map<string, UserTaskSpec>): void {
  for (const spec of userTasks.values()) {
    if (!spec.multiInstance) continue;
    const activity = (context as unknown as { getActivityById(id: string): Any }).getActivityById(spec.elementId);
    const behaviour = activity?.behaviour?.loopCharacteristics?.behaviour;
    if (!behaviour) continue;
    behaviour.collection = { fashenLoop: 'collection', variable: spec.multiInstance.collection } as LoopExpression;
    behaviour.elementVariable = spec.multiInstance.elementVariable;
    if (typeof behaviour.completionCondition === 'string' && behaviour.completionCondition.trim()) {
      behaviour.completionCondition = { fashenLoop: 'completion', feel: behaviour.completionCondition.trim() };
    } else delete behaviour.completionCondition;
    delete behaviour.loopCardinality;
  }
}

function timerBoundariesByHost(flowElements: readonly BaseElement[]): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const element of flowElements) {
    if (element.$type !== 'bpmn:BoundaryEvent') continue;
    const isTimer = childrenOf(element, 'eventDefinitions').some((d) => d.$type === 'bpmn:TimerEventDefinition');
    const host = childOf(element, 'attachedToRef')?.id;
    if (!isTimer || !host || !element.id) continue;
    byHost.set(host, [...(byHost.get(host) ?? []), element.id]);
  }
  return byHost;
}

/** Builds the runtime's view of an already validated definition from its parsed document. */
export function compileContext(source: DefinitionSource, moddleContext: ModdleContext): CompiledDefinition {
  const process = childrenOf(moddleContext.rootElement, 'rootElements').find(
    (e) => e.$type === 'bpmn:Process' && e.id === source.process_key,
  );
  if (!process) throw new Error(`definition ${source.id} has no process ${source.process_key}`);
  const flowElements = flowElementsDeep(process);
  const boundaryTimers = timerBoundariesByHost(flowElements);
  const userTasks = new Map<string, UserTaskSpec>();
  const serviceTasks = new Map<string, string>();
  for (const element of flowElements) {
    if (element.$type === 'bpmn:UserTask' && element.id)
      userTasks.set(element.id, userTaskSpec(element, boundaryTimers));
    const service = stringOf(element, 'service');
    if (element.$type === 'bpmn:ServiceTask' && element.id && service) serviceTasks.set(element.id, service);
  }
  // A version deployed before fashen:step existed marks no step at all; its tasks (cases still in flight)
  // keep the forms and figures the shipped element ids stood for. Any step marked means the author chose.
  if (![...userTasks.values()].some((t) => t.step)) {
    for (const task of userTasks.values()) task.step = LEGACY_STEP_IDS[task.elementId] ?? null;
  }
  // Every step has a time limit: one the process does not set (no fashen:deadlineWorkingDays, no timer boundary
  // event) is the step's default, also for versions deployed before the defaults existed.
  for (const task of userTasks.values()) {
    if (task.deadlineWorkingDays === null && task.boundaryTimerIds.length === 0 && task.step) {
      task.deadlineWorkingDays = STEPS[task.step].defaultWorkingDays;
      // The reminder comes a working day ahead, as the shipped processes set it.
      if (task.reminderWorkingDays === null && task.deadlineWorkingDays > 1) task.reminderWorkingDays = 1;
    }
  }
  // The serializer's types call the whole parse result "Definitions"; it is what bpmn-engine passes too.
  // Timers run on the command's clock (see ClockedTimerEventDefinition), not the process's wall clock.
  const sourceContext = serializer(
    moddleContext as unknown as Definitions,
    TypeResolver({ ...Elements, TimerEventDefinition: ClockedTimerEventDefinition as never }),
  );
  markLoopExpressions(sourceContext, userTasks);
  return {
    definitionId: source.id,
    departmentId: source.department_id,
    processKey: source.process_key,
    version: source.version,
    name: source.name,
    sourceContext,
    userTasks,
    serviceTasks,
    catalogue: readCatalogue(process),
  };
}

export async function compileDefinition(source: DefinitionSource): Promise<CompiledDefinition> {
  return compileContext(source, await parseBpmn(source.xml));
}

/**
 * Compiled definitions by id, least recently used evicted first. Definitions never change once deployed, so an
 * entry is never stale. Concurrent misses for one id share a single load.
 */
export class DefinitionCache {
  private readonly entries = new Map<string, Promise<CompiledDefinition>>();

  constructor(private readonly maxEntries = 200) {}

  get size(): number {
    return this.entries.size;
  }

  get(db: Kysely<DB> | Transaction<DB>, definitionId: string): Promise<CompiledDefinition> {
    const cached = this.entries.get(definitionId);
    if (cached) {
      this.entries.delete(definitionId);
      this.entries.set(definitionId, cached);
      return cached;
    }
    const loading = this.load(db, definitionId);
    this.entries.set(definitionId, loading);
    loading.catch(() => {
      if (this.entries.get(definitionId) === loading) this.entries.delete(definitionId);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return loading;
  }

  private async load(db: Kysely<DB> | Transaction<DB>, definitionId: string): Promise<CompiledDefinition> {
    const row = UUID.test(definitionId) ? await findDefinitionById(db, definitionId) : undefined;
    if (!row) throw new AppError(404, 'DEFINITION_NOT_FOUND', `流程定义 ${definitionId} 不存在`);
    return compileDefinition(row);
  }
}
