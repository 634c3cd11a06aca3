import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { RuntimeContext } from '../engine/context.js';
import {
  assertMayWork,
  checkTaskForm,
  completeTask as completeEngineTask,
  type TaskActor,
} from '../engine/instances.js';
import * as reads from '../engine/reads.js';
import { DomainError } from '../infra/errors.js';
import { UUID } from '../infra/ids.js';
import type { FieldProblem, RuleTask, StepRules } from './step-rules.js';

/** What the tasks service needs: the engine and the rules of each step. */
export interface TasksContext {
  runtime: RuntimeContext;
  stepRules: StepRules;
}

async function openTaskFor(ctx: TasksContext, actor: TaskActor, taskId: string) {
  const task = UUID.test(taskId) ? await reads.findTask(ctx.runtime.db, taskId) : undefined;
  if (!task) throw new DomainError('not_found', 'TASK_NOT_FOUND', '任务不存在');
  assertMayWork(actor, task);
  if (task.status !== 'open') throw new DomainError('conflict', 'TASK_ALREADY_COMPLETED', '此任务已办结');
  return task;
}

/** 签收: the caller takes an open task of their role; whoever comes second is told it is taken. */
export async function claimTask(ctx: TasksContext, actor: TaskActor, taskId: string) {
  const task = await openTaskFor(ctx, actor, taskId);
  const res = await reads.claimTask(ctx.runtime.db, task.id, actor.id);
  if (res.numUpdatedRows === 0n) {
    throw new DomainError('conflict', 'TASK_ASSIGNED_TO_OTHER', '此任务已由他人签收或已办结');
  }
  return { id: task.id, assigneeId: actor.id };
}

/**
 * Every problem with a step's form: the fields its BPMN declares, then the domain's rules for the step. Pages
 * call it to show all problems at once; completeTask refuses with the same list.
 */
export async function completionProblems(
  ctx: TasksContext,
  actor: TaskActor,
  taskId: string,
  payload: Record<string, unknown>,
): Promise<FieldProblem[]> {
  return problemsOf(ctx, await checkForm(ctx, actor, taskId, payload), payload);
}

/**
 * The engine's form check, with the fields the step's capability adds for this task. One `RuleTask` stands for the
 * task through the whole check (fields, guards, rules), so a capability may keep what it read for it (the case's
 * review points) for the rest of this completion.
 */
async function checkForm(ctx: TasksContext, actor: TaskActor, taskId: string, payload: Record<string, unknown>) {
  let ruleTask: RuleTask | undefined;
  const form = await checkTaskForm(ctx.runtime, actor, taskId, payload, {
    extraFields: (step, instanceId) => {
      ruleTask = { instanceId };
      return ctx.stepRules.extraFields(step, ruleTask);
    },
  });
  return { ...form, ruleTask: ruleTask ?? { instanceId: form.task.instance_id } };
}

async function problemsOf(
  ctx: TasksContext,
  { spec, checked, ruleTask }: Awaited<ReturnType<typeof checkForm>>,
  payload: Record<string, unknown>,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = checked.ok ? [] : [...checked.errors];
  const seen = new Set(problems.map((p) => p.field));
  for (const p of await ctx.stepRules.check(spec.step, checked.ok ? checked.value : payload, ruleTask)) {
    if (!seen.has(p.field)) problems.push(p);
    seen.add(p.field);
  }
  return problems;
}

/**
 * 办结: checks the form and the step's rules, then completes the task. `alongside` runs in the same transaction
 * as the engine's step (e.g. the packet revision of a correction), so the two commit or fail together.
 */
export async function completeTask(
  ctx: TasksContext,
  actor: TaskActor,
  taskId: string,
  payload: Record<string, unknown>,
  opts: { alongside?: (trx: Transaction<DB>) => Promise<void> } = {},
) {
  if (!UUID.test(taskId)) throw new DomainError('not_found', 'TASK_NOT_FOUND', '任务不存在');
  // One read of the task serves the permission check, the step's guards, the form check and the completion.
  const form = await checkForm(ctx, actor, taskId, payload);
  await ctx.stepRules.enter(form.spec.step, form.ruleTask, actor.id);
  const problems = await problemsOf(ctx, form, payload);
  if (problems.length) throw new DomainError('invalid', 'FORM_INVALID', '表单填写有误', { fields: problems });
  return completeEngineTask(ctx.runtime, actor, taskId, payload, { ...opts, checked: form });
}
