import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { buildFormValidator } from '../definitions/forms.js';
import { findLatestDefinition } from '../definitions/latest.js';
import { AppError } from '../http/errors.js';
import { type Actor, hasRole } from '../identity/service.js';
import { fireDisclosureTimer, isDisclosureTimer } from '../publicity/timers.js';
import { type Command, type CommandResult, type OpenTaskRows, runCommand } from './commands.js';
import type { RuntimeContext } from './context.js';
import type { EngineRun } from './engine-run.js';
import * as q from './queries.js';
import * as reads from './reads.js';
import { fireTaskTimer } from './task-clock.js';

export async function startInstance(
  ctx: RuntimeContext,
  actor: Actor | null,
  input: {
    departmentId: string;
    processKey: string;
    variables: Record<string, unknown>;
    businessKey?: string;
    onCreate?: (trx: Transaction<DB>, instanceId: string) => Promise<void>;
  },
): Promise<CommandResult> {
  const definition = await findLatestDefinition(ctx.db, input.departmentId, input.processKey);
  if (!definition) {
    throw new AppError(404, 'DEFINITION_NOT_FOUND', `本机关没有已部署的流程 ${input.processKey}`);
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
export function assertMayWork(actor: Actor, task: { department_id: string; role: string; assignee_id: string | null }) {
  if (task.assignee_id === actor.id) return; // assigned by name, e.g. a reviewer borrowed from the city pool
  if (task.department_id !== actor.departmentId || !actor.roles.includes(task.role as Actor['roles'][number])) {
    throw new AppError(403, 'FORBIDDEN', '您没有处理此任务的权限');
  }
  if (task.assignee_id && task.assignee_id !== actor.id) {
    throw new AppError(409, 'TASK_ASSIGNED_TO_OTHER', '此任务已由他人签收');
  }
}

export async function completeTask(
  ctx: RuntimeContext,
  actor: Actor,
  taskId: string,
  payload: Record<string, unknown>,
): Promise<CommandResult> {
  const task = await reads.findTask(ctx.db, taskId);
  if (!task) throw new AppError(404, 'TASK_NOT_FOUND', '任务不存在');
  assertMayWork(actor, task);
  if (task.status !== 'open') throw new AppError(409, 'TASK_ALREADY_COMPLETED', '此任务已办结');
  const compiled = await ctx.cache.get(ctx.db, task.definition_id);
  const spec = compiled.userTasks.get(task.element_id);
  if (!spec) throw new AppError(409, 'TASK_NOT_FOUND', '任务不在流程定义中');
  let validate = ctx.formValidators.get(spec);
  if (!validate) {
    validate = buildFormValidator(spec.form);
    ctx.formValidators.set(spec, validate);
  }
  const checked = validate(payload);
  if (!checked.ok) throw new AppError(400, 'FORM_INVALID', '表单填写有误', { fields: checked.errors });
  // A submitted form speaks for all of its fields: one left empty this round must not keep last round's value.
  const cleared = Object.fromEntries(spec.form.map((f) => [f.name, null]));
  const command: Command = { kind: 'completeTask', taskId, payload: { ...cleared, ...checked.value } };
  return runCommand(ctx, { instanceId: task.instance_id }, command, actor.id, actFor(ctx, command));
}

/** Outcome of a timer job: fired, nothing to do, or too early (BullMQ delivered before the due time). */
export type TimerOutcome = { kind: 'fired' } | { kind: 'stale'; reason: string } | { kind: 'early'; dueAt: Date };

/** The timer's due time moved (e.g. its working days were counted again) after its job was picked up. */
class TimerNotDue extends AppError {
  constructor(readonly dueAt: Date) {
    super(409, 'CONFLICT', '计时器尚未到期');
  }
}

export async function fireTimer(ctx: RuntimeContext, timerId: string): Promise<TimerOutcome> {
  const timer = await q.findTimer(ctx.db, timerId);
  if (timer?.status !== 'pending') return { kind: 'stale', reason: timer ? timer.status : 'missing' };
  if (timer.due_at.getTime() > ctx.clock.now().getTime() + 1000) return { kind: 'early', dueAt: timer.due_at };
  if (isDisclosureTimer(timer.kind)) return fireDisclosureTimer(ctx, timer.id);
  if (timer.kind !== 'engine') return fireTaskTimer(ctx, timer);
  const command: Command = { kind: 'fireTimer', timerId };
  try {
    await runCommand(ctx, { instanceId: timer.instance_id }, command, null, actFor(ctx, command));
    return { kind: 'fired' };
  } catch (err) {
    if (err instanceof TimerNotDue) return { kind: 'early', dueAt: err.dueAt };
    if (err instanceof AppError && err.statusCode === 409) return { kind: 'stale', reason: err.code };
    throw err;
  }
}

export async function retryInstance(ctx: RuntimeContext, actor: Actor, instanceId: string): Promise<CommandResult> {
  const instance = await reads.findInstance(ctx.db, instanceId);
  if (!instance) throw new AppError(404, 'INSTANCE_NOT_FOUND', '流程实例不存在');
  if (!hasRole(actor, 'admin') && instance.department_id !== actor.departmentId) {
    throw new AppError(403, 'FORBIDDEN', '无权处理其他执法机关的流程实例');
  }
  if (instance.status !== 'failed' || !instance.error) {
    throw new AppError(409, 'INSTANCE_NOT_FAILED', '只有执行失败的流程实例可以重试');
  }
  const command = instance.error.command as Command;
  return runCommand(ctx, { instanceId }, command, actor.id, actFor(ctx, command), { allowFailed: true });
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
        if (!open) throw new AppError(409, 'TASK_ALREADY_COMPLETED', '此任务已办结或已被取消');
        Object.assign(run.variables, command.payload);
        await run.act(() => open.signal(command.payload));
        return { completedTaskId: command.taskId };
      }
      case 'fireTimer': {
        const timer = await trx
          .selectFrom('timers')
          .select(['status', 'execution_id', 'due_at'])
          .where('id', '=', command.timerId)
          .executeTakeFirst();
        if (timer?.status !== 'pending') throw new AppError(409, 'CONFLICT', '计时器已处理');
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
