import { Engine } from 'bpmn-engine';
import { DomainError } from '../infra/errors.js';
import type { CompiledDefinition } from './definition.js';
import { DurableTimers, type RegisteredTimer, type WorkingDayBasis } from './durable-timers.js';
import { FeelConditions, timerExpressions, type WorkingDayDue } from './feel.js';
import { patchEngineBrokers } from './smqp-bindings.js';

// Before any engine exists: a binding's subscription to its queue closes with it (see smqp-bindings.ts), and
// a message skips its exchange's delivery queue when smqp would route it at once (see smqp-delivery.ts).
await patchEngineBrokers();

export class RunawayError extends Error {
  constructor(readonly steps: number) {
    super(`流程在一次操作中执行了超过 ${steps} 个步骤仍未到达等待状态，已停止（可能存在无等待节点的循环）`);
    this.name = 'RunawayError';
  }
}

export interface OpenUserTask {
  elementId: string;
  executionId: string;
  /** A multi-instance task's iteration: the element of the collection it is for (its assignee). */
  loopItem?: unknown;
  signal(payload: Record<string, unknown>): void;
}

export type ServiceInvoker = (elementId: string, serviceName: string) => Promise<Record<string, unknown> | undefined>;

// bpmn-engine's own types do not describe these runtime objects closely enough to be worth fighting.
// biome-ignore lint/suspicious/noExplicitAny: engine API surface
type Any = any;

// The engine's default logger builds a `debug` instance per element per run; the runtime records history
// itself, so engines get a logger that does nothing.
const noop = () => undefined;
const silentLogger = () => ({ debug: noop, error: noop, warn: noop });

/**
 * The compiled definition's context, as this engine sees it: bpmn-engine's getState serializes the whole definition
 * into every saved state (JSON of every element: 47 KB and ~0.28 ms a step for workflows/legal-review.bpmn), which
 * `getState` below drops again, because recovery gets the context from the definition cache. So the engine's view
 * of the context serializes to nothing; the shared context itself is untouched.
 */
function unserializedContext(context: CompiledDefinition['sourceContext']): CompiledDefinition['sourceContext'] {
  return Object.create(context, { serialize: { value: () => undefined } });
}

/** What a command gives the engine it runs: its services, its working-day count and its clock. */
export interface EngineRunOptions {
  stepBudget: number;
  invokeService: ServiceInvoker;
  /** End of the N-th working day after today, for `P<n>WD` timers. */
  dueAfterWorkingDays: (n: number) => WorkingDayDue;
  /** The command's clock: timers are counted from it and expire by it. The wall clock by default. */
  now?: () => Date;
}

/**
 * How many commands one engine runs before it is let go and the next command recovers the instance from its row.
 * A long-lived engine used to gain an smqp subscription per activity run (about 5 KB per step of bench/loop.bpmn,
 * without bound), which smqp-bindings.ts now closes with its binding; the limit stays as a bound on whatever else
 * a long-lived engine might keep, and costs one recovery in 32 commands.
 */
export const MAX_COMMANDS_PER_ENGINE = 32;

/**
 * One command's worth of engine: created from a cached compiled definition, recovered from saved state (or
 * started), driven until every token waits. Usually thrown away after the command; WarmEngines may keep one
 * that committed cleanly and hand it to the next command on the same instance version (see `rebind`).
 */
export class EngineRun {
  private readonly timers: DurableTimers;
  private readonly engine: Any;
  private execution: Any = null;
  private readonly pending = new Set<Promise<unknown>>();
  private steps = 0;
  private failure: Error | null = null;
  private refusal: DomainError | null = null;
  /** Whether the engine has been started or recovered: `rebind` is only for one that has. */
  private running = false;

  constructor(
    readonly compiled: CompiledDefinition,
    /** The command's case variables; replaced by `rebind`, so the engine reads them through this field. */
    public variables: Record<string, unknown>,
    private opts: EngineRunOptions,
  ) {
    // Everything the engine calls back reads the current command's options, never the first command's.
    const now = () => (this.opts.now ? this.opts.now() : new Date());
    this.timers = new DurableTimers(now);
    const counted = (executionId: string, basis: WorkingDayBasis) => this.timers.workingDays.set(executionId, basis);
    this.engine = new Engine({
      name: compiled.processKey,
      sourceContext: unserializedContext(compiled.sourceContext) as Any,
      scripts: new FeelConditions(() => this.variables) as Any,
      expressions: timerExpressions(
        (n) => this.opts.dueAfterWorkingDays(n),
        now,
        counted,
        () => this.variables,
      ) as Any,
      timers: this.timers as Any,
      extensions: { fashenServices: ((activity: Any) => this.attachService(activity)) as Any },
      Logger: silentLogger,
    });
    this.engine.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  /** Execution ids of the timers that expired during this command (as opposed to being discarded). */
  readonly firedTimers = new Set<string>();

  /**
   * Readies an engine kept from an earlier command for the next one on the same instance version: the new
   * command's variables (as read from the row), services, calendar and clock; a fresh step budget and no fired
   * timers. Returns false, and the caller must recover from the row instead, when the engine is not exactly what
   * recovering the row would give: it failed or was refused, work is still in flight, or a timer it waits on
   * has fallen due by the command's clock (recovery would fire that timer while resuming; the warm engine never
   * fires on its own, and which of several due timers fires first is recovery's to decide).
   */
  rebind(variables: Record<string, unknown>, opts: EngineRunOptions): boolean {
    if (!this.reusable) return false;
    this.commands++;
    this.opts = opts;
    this.variables = variables;
    this.steps = 0;
    this.firedTimers.clear();
    const now = this.timers.now().getTime();
    return !this.timers.pending().some((t) => t.expireAt.getTime() <= now);
  }

  /** Commands this engine has run: recovery or start is the first, each `rebind` one more. */
  private commands = 1;

  /**
   * Whether the engine may run another command: it ended the last one cleanly (not failed, not refused, nothing in
   * flight) and has not run MAX_COMMANDS_PER_ENGINE yet.
   */
  get reusable(): boolean {
    return (
      this.running &&
      !this.failure &&
      !this.refusal &&
      this.pending.size === 0 &&
      this.commands < MAX_COMMANDS_PER_ENGINE
    );
  }

  private readonly listener = {
    emit: (eventName: string, api: Any) => {
      if (eventName === 'activity.start' && ++this.steps > this.opts.stepBudget) {
        throw new RunawayError(this.opts.stepBudget);
      }
      if (eventName === 'activity.timeout' && api?.content?.state === 'timeout') {
        this.firedTimers.add(api.content.executionId);
      }
    },
  };

  async start(): Promise<void> {
    this.execution = await this.engine.execute({ listener: this.listener });
    this.running = true;
    await this.settle();
  }

  async recover(state: unknown): Promise<void> {
    // The state was parsed from the row for this command alone, so the engine may keep and mutate it.
    this.engine.recover(state);
    this.execution = await this.engine.resume({ listener: this.listener });
    this.running = true;
    await this.settle();
  }

  /** Saved state without the serialized definition, which the cache supplies again on recovery. */
  async getState(): Promise<unknown> {
    const state = await this.engine.getState();
    for (const definition of state.definitions ?? []) delete definition.source;
    return state;
  }

  openUserTasks(): OpenUserTask[] {
    return this.postponed()
      .filter((api: Any) => api.type === 'bpmn:UserTask')
      .flatMap((api: Any) => {
        const loop = this.compiled.userTasks.get(api.id)?.multiInstance;
        if (!loop) return [this.userTask(api)];
        // Each iteration of a multi-instance task waits with its own execution id; the parent's is not a task.
        return (api.owner?.execution?.getPostponed?.() ?? [])
          .filter((sub: Any) => sub.content?.isMultiInstance && sub.executionId !== api.executionId)
          .map((sub: Any) => ({ ...this.userTask(sub), loopItem: sub.content[loop.elementVariable] }));
      });
  }

  private userTask(api: Any): OpenUserTask {
    return {
      elementId: api.id,
      executionId: api.executionId,
      // The engine keeps what it is signalled with; a copy through JSON is what recovery would have given it, and
      // nothing the caller does with its payload afterwards can reach an engine kept warm.
      signal: (payload: Record<string, unknown>) => api.signal(JSON.parse(JSON.stringify(payload))),
    };
  }

  pendingTimers(): RegisteredTimer[] {
    return this.timers.pending();
  }

  get completed(): boolean {
    return this.postponed().length === 0;
  }

  /** Runs a synchronous engine action, then waits for any service calls it started. */
  async act(fn: () => void): Promise<void> {
    try {
      fn();
    } catch (err) {
      // Thrown from inside the engine (e.g. the step budget): it stopped part-way, so it is never reused.
      this.failure ??= err as Error;
      throw err;
    }
    await this.settle();
  }

  private postponed(): Any[] {
    return this.execution?.getPostponed() ?? [];
  }

  private async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    if (this.refusal) throw this.refusal;
    if (this.failure) throw this.failure;
  }

  private attachService(activity: Any): void {
    if (activity.type !== 'bpmn:ServiceTask') return;
    const serviceName = this.compiled.serviceTasks.get(activity.id);
    const run = this;
    activity.behaviour.Service = function FashenService() {
      return {
        execute(message: Any, callback: (err: Error | null, output?: unknown) => void) {
          if (!serviceName) return callback(new Error(`服务任务 ${activity.id} 未指定服务`));
          const call = run.opts.invokeService(activity.id, serviceName).then(
            (output) => {
              if (output) Object.assign(run.variables, output);
              run.resume(() => callback(null, output ?? {}));
            },
            (err: Error) => {
              // A service may refuse the step as the caller's mistake (a DomainError, e.g. reasons missing for an
              // override): the whole command is then answered with that 4xx and nothing is saved.
              if (err instanceof DomainError) run.refusal ??= err;
              else run.resume(() => callback(err));
            },
          );
          run.pending.add(call);
          call.finally(() => run.pending.delete(call));
          void message;
        },
      };
    };
  }

  /** Continues the engine after an async service; a failure there (e.g. the step budget) fails the command. */
  private resume(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.failure ??= err as Error;
    }
  }
}
