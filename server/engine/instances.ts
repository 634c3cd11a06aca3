import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { DomainError } from '../infra/errors.js';
import { type Command, type CommandResult, type OpenTaskRows, runCommand } from './commands.js';
import type { RuntimeContext } from './context.js';
import type { EngineRun, OpenUserTask } from './engine-run.js';
import { EngineError, StaleCommand, TimerNotDue } from './errors.js';
import type { FormField } from './forms.js';
import * as q from './queries.js';
import * as reads from './reads.js';
import type { TimerOutcome } from './registry.js';
import { fireTaskTimer } from './task-clock.js';

/** Who acts on a task, as the engine sees them: the roles a user task is given to (fashen:role) and a department. */
export interface TaskActor {
  id: string;
  departmentId: string;
  roles: readonly string[];
}

export async function startInstance(
  ctx: RuntimeContext,
  actor: { id: string } | null,
  input: {
    departmentId: string;
    processKey: string;
    variables: Record<string, unknown>;
    businessKey?: string;
    onCreate?: (trx: Transaction<DB>, instanceId: string) => Promise<void>;
  },
): Promise<CommandResult> {
  const definition = await ctx.definitions.latest(ctx.db, input.departmentId, input.processKey);
  if (!definition) {
    throw new EngineError('not_found', 'DEFINITION_NOT_FOUND', `本机关没有已部署的流程 ${input.processKey}`);
  }
  const create = {
    definitionId: definition.id,
    departmentId: input.departmentId,
    businessKey: input.businessKey ?? null,
    variables: input.variables,
    startedBy: actor?.id ?? null,
    status: 'running' as const,
  };
  return runCommand(
    ctx,
    { create, onCreate: input.onCreate },
    { kind: 'start' },
    actor?.id ?? null,
    async () => undefined,
  );
}

/** May this actor work on this task? Same department, the task's role, and not someone else's claim. */
export function assertMayWork(
  actor: TaskActor,
  task: { department_id: string; role: string; assignee_id: string | null },
) {
  if (task.assignee_id === actor.id) return; // assigned by name, e.g. a reviewer borrowed from the city pool
  if (task.department_id !== actor.departmentId || !actor.roles.includes(task.role)) {
    throw new EngineError('forbidden', 'FORBIDDEN', '您没有处理此任务的权限');
  }
  if (task.assignee_id && task.assignee_id !== actor.id) {
    throw new EngineError('conflict', 'TASK_ASSIGNED_TO_OTHER', '此任务已由他人签收');
  }
}

/** The task as a completion sees it: open, the caller's to do, with its compiled spec. */
async function taskToComplete(ctx: RuntimeContext, actor: TaskActor, taskId: string) {
  const task = await reads.findTask(ctx.db, taskId);
  if (!task) throw new EngineError('not_found', 'TASK_NOT_FOUND', '任务不存在');
  assertMayWork(actor, task);
  if (task.status !== 'open') throw new EngineError('conflict', 'TASK_ALREADY_COMPLETED', '此任务已办结');
  const compiled = await ctx.cache.get(ctx.db, task.definition_id);
  const spec = compiled.userTasks.get(task.element_id);
  if (!spec) throw new EngineError('conflict', 'TASK_NOT_FOUND', '任务不在流程定义中');
  return { task, spec };
}

/**
 * Checks a submitted form against the task's fashen:form; returns the typed values or every field's problem.
 * `extraFields` adds fields a capability asks of this task beyond what its BPMN declares (a department's own
 * review points); a declared field of the same name wins. `fields` is the form the submission was checked against.
 */
export async function checkTaskForm(
  ctx: RuntimeContext,
  actor: TaskActor,
  taskId: string,
  payload: unknown,
  opts: { extraFields?: (step: string | null, instanceId: string) => Promise<FormField[]> } = {},
) {
  const { task, spec } = await taskToComplete(ctx, actor, taskId);
  const declared = new Set(spec.form.map((f) => f.name));
  const extra = opts.extraFields
    ? (await opts.extraFields(spec.step, task.instance_id)).filter((f) => !declared.has(f.name))
    : [];
  const fields = extra.length ? [...spec.form, ...extra] : spec.form;
  return { task, spec, fields, checked: ctx.formValidators.get(spec, extra)(payload) };
}

/**
 * Completes a user task with its form. `alongside` runs in the command's transaction, under the instance lock,
 * before the engine moves on (e.g. the packet revision a correction step submits): both commit or neither.
 */
export async function completeTask(
  ctx: RuntimeContext,
  actor: TaskActor,
  taskId: string,
  payload: Record<string, unknown>,
  opts: {
    alongside?: (trx: Transaction<DB>) => Promise<void>;
    /** The caller's own checkTaskForm of this request, so the task is not read again. */
    checked?: Awaited<ReturnType<typeof checkTaskForm>>;
  } = {},
): Promise<CommandResult> {
  const { task, fields, checked } = opts.checked ?? (await checkTaskForm(ctx, actor, taskId, payload));
  if (!checked.ok) throw new EngineError('invalid', 'FORM_INVALID', '表单填写有误', { fields: checked.errors });
  // A submitted form speaks for all of its fields: one left empty this round must not keep last round's value.
  const cleared = Object.fromEntries(fields.map((f) => [f.name, null]));
  const command: Command = { kind: 'completeTask', taskId, payload: { ...cleared, ...checked.value } };
  const act = actFor(ctx, command);
  const alongside = opts.alongside;
  return runCommand(
    ctx,
    { instanceId: task.instance_id },
    command,
    actor.id,
    alongside
      ? async (run, trx, openTasks) => {
          await alongside(trx);
          return act(run, trx, openTasks);
        }
      : act,
  );
}

/**
 * A timer job came due: the handler registered for the timer's kind fires it. Each re-reads the database under
 * its lock and does nothing if the timer no longer applies.
 */
export async function fireTimer(ctx: RuntimeContext, timerId: string): Promise<TimerOutcome> {
  const timer = await q.findTimer(ctx.db, timerId);
  if (timer?.status !== 'pending') return { kind: 'stale', reason: timer ? timer.status : 'missing' };
  if (timer.due_at.getTime() > ctx.clock.now().getTime() + 1000) return { kind: 'early', dueAt: timer.due_at };
  const handler = ctx.timerKinds.get(timer.kind);
  if (!handler) throw new Error(`计时器类型 ${timer.kind} 没有注册处理程序`);
  return handler(timer.id);
}

/** The engine's own timer kinds: BPMN timer events, and the deadline and reminder of a user task. */
export function registerEngineTimerKinds(ctx: RuntimeContext): void {
  ctx.timerKinds.add('engine', (timerId) => fireEngineTimer(ctx, timerId));
  const taskTimer = async (timerId: string): Promise<TimerOutcome> => {
    const timer = await q.findTimer(ctx.db, timerId);
    if (!timer?.instance_id) return { kind: 'stale', reason: 'missing' };
    return fireTaskTimer(ctx, timer);
  };
  ctx.timerKinds.add('task_deadline', taskTimer);
  ctx.timerKinds.add('task_reminder', taskTimer);
}

async function fireEngineTimer(ctx: RuntimeContext, timerId: string): Promise<TimerOutcome> {
  const timer = await q.findTimer(ctx.db, timerId);
  if (!timer) return { kind: 'stale', reason: 'missing' };
  const command: Command = { kind: 'fireTimer', timerId };
  try {
    await runCommand(ctx, { instanceId: timer.instance_id }, command, null, actFor(ctx, command));
    return { kind: 'fired' };
  } catch (err) {
    if (err instanceof TimerNotDue) return { kind: 'early', dueAt: err.dueAt };
    // The command no longer applies (timer handled, instance ended): a refusal, not a failure of the job.
    if (err instanceof DomainError && err.kind === 'conflict') return { kind: 'stale', reason: err.code };
    throw err;
  }
}

/** Runs a failed instance's failed command again. Who may is the caller's to decide. */
export async function retryInstance(ctx: RuntimeContext, actorId: string, instanceId: string): Promise<CommandResult> {
  const instance = await reads.findInstance(ctx.db, instanceId);
  if (!instance) throw new EngineError('not_found', 'INSTANCE_NOT_FOUND', '流程实例不存在');
  if (instance.status !== 'failed' || !instance.error) {
    throw new EngineError('conflict', 'INSTANCE_NOT_FAILED', '只有执行失败的流程实例可以重试');
  }
  const command = instance.error.command as Command;
  return runCommand(ctx, { instanceId }, command, actorId, actFor(ctx, command), { allowFailed: true });
}

/**
 * A task's form goes into the case variables, where gateways and services read it; a 会签 iteration's is kept
 * apart, under its assignee in the loop's output variable, so that one attendee's answer never overwrites another's.
 */
function keepOutput(run: EngineRun, task: OpenUserTask, payload: Record<string, unknown>): void {
  const loop = run.compiled.userTasks.get(task.elementId)?.multiInstance;
  if (!loop) {
    Object.assign(run.variables, payload);
    return;
  }
  const previous = run.variables[loop.outputVariable];
  const outputs = previous && typeof previous === 'object' && !Array.isArray(previous) ? previous : {};
  run.variables[loop.outputVariable] = { ...outputs, [String(task.loopItem)]: payload };
}

/** The engine action of each command kind, shared by the first attempt and by retries. */
function actFor(ctx: RuntimeContext, command: Command) {
  return async (run: EngineRun, trx: Transaction<DB>, openTasks: OpenTaskRows) => {
    switch (command.kind) {
      case 'start':
        return undefined;
      case 'completeTask': {
        const task = openTasks.find((t) => t.id === command.taskId);
        const open = task && run.openUserTasks().find((t) => t.executionId === task.execution_id);
        if (!open) throw new StaleCommand('TASK_ALREADY_COMPLETED', '此任务已办结或已被取消');
        keepOutput(run, open, command.payload);
        await run.act(() => open.signal(command.payload));
        return { completedTaskId: command.taskId };
      }
      case 'fireTimer': {
        const timer = await trx
          .selectFrom('timers')
          .select(['status', 'execution_id', 'due_at'])
          .where('id', '=', command.timerId)
          .executeTakeFirst();
        if (timer?.status !== 'pending') throw new StaleCommand('CONFLICT', '计时器已处理');
        // Read again under the instance lock: a recount may have moved it since the job was picked up.
        if (timer.due_at.getTime() > ctx.clock.now().getTime() + 1000) throw new TimerNotDue(timer.due_at);
        // If the due time had passed, recovery already fired it; otherwise it is within the 1 s tolerance.
        const registered = run.pendingTimers().find((t) => t.executionId === timer.execution_id);
        if (registered) await run.act(() => registered.fire());
        return undefined;
      }
    }
  };
}
