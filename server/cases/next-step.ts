import { deadlineFor, resolveDeadline } from '../engine/deadlines.js';
import type { CompiledDefinition, UserTaskSpec } from '../engine/definition.js';
import { ClockedTimerEventDefinition } from '../engine/engine-clock.js';
import { FeelConditions, timerExpressions } from '../engine/feel.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import { endOfShanghaiDay, instantToShanghaiDate, instantToShanghaiDay, SHANGHAI_OFFSET_MS } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';

// What a document issued by a service task tells the handling unit about the step the flow takes it to next: the
// user task, when it falls due and what the flow does when it lapses. The service runs before that task exists, so
// this reads the deployed definition the case runs and counts its limits as the engine will when it creates the
// task a moment later, in the same command, by the same clock and calendar (see materialize and commands).

/** When a step falls due, as the task (or the timer on it) the engine creates will. */
export interface StepDue {
  /** The last civil day (Asia/Shanghai) on which the step is in time. */
  date: string;
  /** HH:mm (Asia/Shanghai) when the limit ends before the end of that day (a timer in hours or days), else null. */
  time: string | null;
  dueAt: Date;
  /** Counted Monday–Friday for lack of the year's holiday notice (the system counts it again once it is loaded). */
  provisional: boolean;
}

export interface NextStep {
  task: UserTaskSpec;
  /** The limit: an interrupting timer's on the task if it has one, else the task's own due time; null if none. */
  due: StepDue | null;
  /** The first known service the flow runs when that interrupting timer expires (e.g. review.withdraw), or null. */
  lapse: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: the serializer's elements are untyped
type Any = any;
interface Flow {
  id: string;
  targetId: string;
  isDefault?: boolean;
  behaviour: Any;
}
interface Context {
  getActivityById(id: string): { id: string; type: string; behaviour: Any } | undefined;
  getOutboundSequenceFlows(id: string): Flow[];
  getTimersByElementId(id: string): { timer: { timerType?: string; value?: string } }[];
}

const MAX_HOPS = 20;

/**
 * The user task the flow reaches from a service task, with its limit. Null when the way there is not certain before
 * the engine takes it: anything but sequence flows and exclusive gateways on the way, or a condition that fails.
 */
export function nextStep(
  compiled: CompiledDefinition,
  fromElementId: string,
  variables: Record<string, unknown>,
  calendar: WorkingCalendar,
  now: Date,
): NextStep | null {
  const context = compiled.sourceContext as unknown as Context;
  const task = nextUserTask(context, compiled, fromElementId, variables);
  if (!task) return null;
  const timers = task.boundaryTimerIds.map((id) => ({
    id,
    interrupting: context.getActivityById(id)?.behaviour?.cancelActivity !== false,
    due: timerDue(context, id, calendar, now),
  }));
  const lapsing = earliest(timers.filter((t) => t.interrupting));
  // The task's own due time, as materialize sets it: its modelled limit, else its earliest boundary timer.
  const deadline = deadlineFor(task, now, variables);
  const resolved = deadline ? resolveDeadline(calendar, deadline) : null;
  const own = resolved ? stepDue(resolved.dueAt, resolved.provisional) : (earliest(timers)?.due ?? null);
  return {
    task,
    due: lapsing?.due ?? own,
    lapse: lapsing ? lapseService(context, compiled, lapsing.id) : null,
  };
}

function earliest<T extends { due: StepDue | null }>(items: T[]): (T & { due: StepDue }) | undefined {
  return items
    .filter((i): i is T & { due: StepDue } => i.due !== null)
    .sort((a, b) => a.due.dueAt.getTime() - b.due.dueAt.getTime())[0];
}

function nextUserTask(
  context: Context,
  compiled: CompiledDefinition,
  fromElementId: string,
  variables: Record<string, unknown>,
): UserTaskSpec | null {
  const conditions = new FeelConditions(() => variables);
  let at = fromElementId;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const flows = context.getOutboundSequenceFlows(at);
    const gateway = context.getActivityById(at)?.type === 'bpmn:ExclusiveGateway';
    // Elsewhere every flow whose condition holds is taken (a split): only a single one is a certain way.
    const single = flows.length === 1 && holds(flows[0], conditions) ? flows[0] : null;
    const flow = gateway ? takenFlow(flows, conditions) : single;
    if (!flow) return null;
    const spec = compiled.userTasks.get(flow.targetId);
    if (spec) return spec;
    if (context.getActivityById(flow.targetId)?.type !== 'bpmn:ExclusiveGateway') return null;
    at = flow.targetId;
  }
  return null;
}

/** An exclusive gateway's choice, as bpmn-elements makes it: the first flow that holds, the default last. */
function takenFlow(flows: Flow[], conditions: FeelConditions): Flow | null {
  const ordered = [...flows.filter((f) => !f.isDefault), ...flows.filter((f) => f.isDefault)];
  for (const flow of ordered) {
    const result = holds(flow, conditions);
    if (result === null) return null;
    if (result) return flow;
  }
  return null;
}

/** Whether a flow's condition holds, evaluated as the engine does (FEEL over the case variables); null if unknown. */
function holds(flow: Flow, conditions: FeelConditions): boolean | null {
  if (!flow.behaviour?.conditionExpression) return true;
  const script = conditions.register({ id: flow.id, type: 'bpmn:SequenceFlow', behaviour: flow.behaviour });
  if (!script) return null;
  let outcome: boolean | null = null;
  script.execute(null, (err, result) => {
    outcome = err ? null : result === true;
  });
  return outcome;
}

/**
 * When a boundary timer started now expires, by the engine's own steps: a `P<n>WD` duration becomes seconds to the
 * end of the n-th working day after today (timerExpressions, with the count commands.ts gives the engine), which the
 * engine's timer definition then parses.
 */
function timerDue(context: Context, timerId: string, calendar: WorkingCalendar, now: Date): StepDue | null {
  const timer = context.getTimersByElementId(timerId)[0]?.timer;
  if (!timer?.timerType || typeof timer.value !== 'string') return null;
  let provisional = false;
  const dueAfterWorkingDays = (n: number) => {
    const basisDate = instantToShanghaiDate(now);
    const due = addWorkingDays(calendar, basisDate, n);
    provisional = due.provisional;
    return { dueAt: due.dueAt, basisDate, provisional: due.provisional };
  };
  const expressions = timerExpressions(dueAfterWorkingDays, () => now);
  const value = expressions.resolveExpression(timer.value);
  // The engine's parse reads nothing of its timer definition but the clock of its environment.
  const clocked = { environment: { timers: { now: () => now } } };
  let parsed: { expireAt?: Date };
  try {
    parsed = ClockedTimerEventDefinition.prototype.parse.call(clocked, timer.timerType, String(value));
  } catch {
    return null;
  }
  return parsed.expireAt instanceof Date ? stepDue(parsed.expireAt, provisional) : null;
}

function stepDue(dueAt: Date, provisional: boolean): StepDue {
  const day = instantToShanghaiDay(dueAt);
  const shanghai = new Date(dueAt.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return {
    date: instantToShanghaiDate(dueAt),
    // A limit that runs to the end of its day (23:59:59, the seconds a timer rounds up included) names the day only.
    time: dueAt.getTime() >= endOfShanghaiDay(day).getTime() ? null : shanghai.slice(11, 16),
    dueAt,
    provisional,
  };
}

/** Services whose effect a document may state as the consequence of a lapsed limit. */
const LAPSE_SERVICES = new Set(['review.withdraw', 'review.closeNotApproved']);

/** The first such service the timer's path runs through before it branches, waits or ends; null if none. */
function lapseService(context: Context, compiled: CompiledDefinition, timerId: string): string | null {
  let at = timerId;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const flows = context.getOutboundSequenceFlows(at);
    if (flows.length !== 1 || flows[0].behaviour?.conditionExpression) return null;
    at = flows[0].targetId;
    const service = compiled.serviceTasks.get(at);
    if (service && LAPSE_SERVICES.has(service)) return service;
    if (context.getActivityById(at)?.type !== 'bpmn:ServiceTask') return null;
  }
  return null;
}
