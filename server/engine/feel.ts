import { evaluate } from 'feelin';
import { MAX_COUNTERSIGNERS } from '../../workflows/lint/multi-instance.js';
import type { WorkingDayBasis } from './durable-timers.js';

interface ScriptOwner {
  id: string;
  type: string;
  behaviour: { conditionExpression?: { body?: string; language?: string } };
}

type Callback = (err: Error | null, result?: unknown) => void;

/**
 * The only "scripts" the engine gets: sequence-flow conditions evaluated as FEEL against the case variables.
 * Script tasks and JavaScript conditions are refused at deploy; should one slip through, getScript has nothing
 * for it and the engine fails the instance instead of running code.
 */
export class FeelConditions {
  private readonly conditions = new Map<string, { execute(ctx: unknown, cb: Callback): void }>();

  constructor(private readonly variables: () => Record<string, unknown>) {}

  register({ id, type, behaviour }: ScriptOwner) {
    if (type !== 'bpmn:SequenceFlow') return undefined;
    const condition = behaviour.conditionExpression;
    if (!condition?.body || (condition.language && condition.language.toLowerCase() !== 'feel')) return undefined;
    const body = condition.body.trim();
    const script = {
      execute: (_ctx: unknown, cb: Callback) => {
        let result: unknown;
        try {
          result = evaluate(body, this.variables()).value;
        } catch (err) {
          return cb(new Error(`条件表达式 ${id} 求值失败: ${(err as Error).message}`));
        }
        return cb(null, result === true);
      },
    };
    this.conditions.set(id, script);
    return script;
  }

  getScript(_language: string | undefined, owner: { id: string }) {
    return this.conditions.get(owner.id);
  }
}

/** `P5WD`: Fashen's extension of ISO-8601 durations for timers, N working days (工作日). */
export const WORKING_DAYS_DURATION = /^P(\d{1,3})WD$/;

/** When a `P<n>WD` timer falls due, by the calendar the command was given. */
export interface WorkingDayDue {
  dueAt: Date;
  /** Shanghai civil date the working days were counted from. */
  basisDate: string;
  provisional: boolean;
}

/**
 * Expressions are never resolved: `${...}` is refused at deploy, and any string stays a literal. The one
 * translation is a working-day timer duration, turned into seconds until the end (23:59:59 Asia/Shanghai)
 * of the N-th working day after today by the calendar the command was given; `counted` hears what it was
 * counted from, by the timer's execution id, so that the count can be repeated when the calendar changes.
 */
export function timerExpressions(
  dueAfterWorkingDays: (n: number) => WorkingDayDue,
  now: () => Date,
  counted: (executionId: string, basis: WorkingDayBasis) => void = () => undefined,
  variables: () => Record<string, unknown> = () => ({}),
) {
  return {
    resolveExpression: (value: unknown, from?: { content?: Record<string, unknown> }) => {
      if (isLoopExpression(value)) return resolveLoopExpression(value, variables(), from?.content ?? {});
      const match = typeof value === 'string' ? WORKING_DAYS_DURATION.exec(value.trim()) : null;
      if (!match) return value;
      const days = Number(match[1]);
      const due = dueAfterWorkingDays(days);
      const executionId = from?.content?.executionId;
      if (typeof executionId === 'string') {
        counted(executionId, { days, basisDate: due.basisDate, provisional: due.provisional });
      }
      const seconds = Math.max(1, Math.ceil((due.dueAt.getTime() - now().getTime()) / 1000));
      return `PT${seconds}S`;
    },
    isExpression: () => false,
    hasExpression: () => false,
  };
}

/**
 * A multi-instance task's collection and completion condition, as compileContext leaves them for the engine:
 * marked objects, so that no string anywhere in a definition is ever taken for one.
 */
export type LoopExpression =
  | { fashenLoop: 'collection'; variable: string }
  | { fashenLoop: 'completion'; feel: string };

function isLoopExpression(value: unknown): value is LoopExpression {
  return typeof value === 'object' && value !== null && 'fashenLoop' in value;
}

/**
 * The collection is the case variable's list (a missing variable is an empty list, so the task completes at once);
 * the completion condition is FEEL over the case variables and the loop's counts, as BPMN names them.
 */
function resolveLoopExpression(
  expression: LoopExpression,
  variables: Record<string, unknown>,
  content: Record<string, unknown>,
): unknown {
  if (expression.fashenLoop === 'collection') {
    const list = variables[expression.variable];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) throw new Error(`会签集合变量 ${expression.variable} 不是列表`);
    // Deploy bounds the shape, this the size: a list longer than the bound fails the instance, never floods it.
    if (list.length > MAX_COUNTERSIGNERS) {
      throw new Error(`会签集合变量 ${expression.variable} 有 ${list.length} 人，超过上限 ${MAX_COUNTERSIGNERS} 人`);
    }
    return list;
  }
  const output = Array.isArray(content.loopOutput) ? content.loopOutput : [];
  const nrOfInstances = Number(content.loopCardinality) || 0;
  const nrOfCompletedInstances = output.filter((o) => o !== undefined && o !== null).length;
  const context = {
    ...variables,
    nrOfInstances,
    nrOfCompletedInstances,
    nrOfActiveInstances: Math.max(0, nrOfInstances - nrOfCompletedInstances),
  };
  try {
    return evaluate(expression.feel, context).value === true;
  } catch (err) {
    throw new Error(`会签完成条件求值失败: ${(err as Error).message}`);
  }
}
