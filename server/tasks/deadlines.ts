import type { RuntimeContext } from '../engine/context.js';
import { extendDeadline, pauseDeadline, resumeDeadline } from '../engine/deadlines.js';
import * as clock from '../engine/task-clock.js';
import { applyTaskDeadline, withInstanceLocked } from '../engine/task-clock.js';
import { type Actor, hasRole } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import type { FieldProblem } from './step-rules.js';

async function openTaskWithDeadline(trx: Parameters<typeof clock.findTaskForClock>[0], taskId: string) {
  const task = await clock.findTaskForClock(trx, taskId);
  if (!task) throw new DomainError('not_found', 'TASK_NOT_FOUND', '任务不存在');
  if (task.status !== 'open') throw new DomainError('conflict', 'TASK_ALREADY_COMPLETED', '此任务已办结');
  if (!task.deadline) throw new DomainError('conflict', 'CONFLICT', '此任务没有办理期限');
  return { ...task, deadline: task.deadline };
}

function assertSameDepartment(actor: Actor, departmentId: string) {
  if (actor.departmentId !== departmentId)
    throw new DomainError('forbidden', 'FORBIDDEN', '无权处理其他执法机关的任务');
}

const MAX_EXTENSION_DAYS = 60;
const MAX_REASON_LENGTH = 2000;

/** What is wrong with a 延期申请, as the page shows it beside each field and the API lists it. */
export function extensionProblems(input: { workingDays: unknown; reason: unknown }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const days = input.workingDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_DAYS) {
    problems.push({ field: 'workingDays', message: `延长的工作日数应为 1 至 ${MAX_EXTENSION_DAYS} 的整数` });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) problems.push({ field: 'reason', message: '请写明申请延期的理由' });
  else if (reason.length > MAX_REASON_LENGTH) {
    problems.push({ field: 'reason', message: `理由不能超过 ${MAX_REASON_LENGTH} 个字` });
  }
  return problems;
}

/** 延期申请: whoever may work on the task asks for N more working days, with reasons. */
export async function requestExtension(
  ctx: RuntimeContext,
  actor: Actor,
  taskId: string,
  request: { workingDays: number; reason: string },
) {
  const problems = extensionProblems(request);
  if (problems.length) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', '延期申请填写有误', { fields: problems });
  }
  const input = { workingDays: request.workingDays, reason: request.reason.trim() };
  const task = await clock.findTaskForClock(ctx.db, taskId);
  if (!task) throw new DomainError('not_found', 'TASK_NOT_FOUND', '任务不存在');
  assertSameDepartment(actor, task.department_id);
  if (!actor.roles.includes(task.role as Actor['roles'][number]))
    throw new DomainError('forbidden', 'FORBIDDEN', '您不是此任务的办理人');
  return withInstanceLocked(ctx, task.instance_id, async (trx) => {
    const open = await openTaskWithDeadline(trx, taskId);
    const earlier = await clock.listExtensions(trx, taskId);
    if (earlier.some((e) => e.status === 'pending'))
      throw new DomainError('conflict', 'CONFLICT', '此任务已有待审批的延期申请');
    // One extension per time limit, as the review rules allow (e.g. +3 working days once).
    if (earlier.some((e) => e.status === 'approved'))
      throw new DomainError('conflict', 'CONFLICT', '此任务的期限已经延长过一次，不能再次延期');
    const ext = await clock.insertExtension(trx, {
      task_id: taskId,
      instance_id: open.instance_id,
      department_id: open.department_id,
      working_days: input.workingDays,
      reason: input.reason,
      requested_by: actor.id,
    });
    return {
      result: ext,
      events: [
        {
          instance_id: open.instance_id,
          type: 'deadline.extension_requested',
          element_id: open.element_id,
          actor_id: actor.id,
          payload: { taskId, extensionId: ext.id, workingDays: input.workingDays, reason: input.reason },
        },
      ],
      outbox: [],
    };
  });
}

/** A chief or the legal unit approves or rejects an extension; approval moves the due time and its timers. */
export async function decideExtension(
  ctx: RuntimeContext,
  actor: Actor,
  extensionId: string,
  input: { approved: boolean; note?: string },
) {
  const ext = await clock.findExtension(ctx.db, extensionId);
  if (!ext) throw new DomainError('not_found', 'NOT_FOUND', '延期申请不存在');
  assertSameDepartment(actor, ext.department_id);
  if (ext.requested_by === actor.id) throw new DomainError('forbidden', 'FORBIDDEN', '不能审批本人提出的延期申请');
  return withInstanceLocked<{ status: 'approved' | 'rejected'; dueAt: Date | null }>(
    ctx,
    ext.instance_id,
    async (trx) => {
      const fresh = await clock.findExtension(trx, extensionId);
      if (fresh?.status !== 'pending') throw new DomainError('conflict', 'CONFLICT', '此延期申请已处理');
      const task = await openTaskWithDeadline(trx, fresh.task_id);
      const now = ctx.clock.now();
      await clock.decideExtension(trx, extensionId, {
        approved: input.approved,
        decidedBy: actor.id,
        note: input.note ?? null,
        at: now,
      });
      const base = { instance_id: task.instance_id, element_id: task.element_id, actor_id: actor.id };
      if (!input.approved) {
        return {
          result: { status: 'rejected' as const, dueAt: task.due_at },
          events: [
            {
              ...base,
              type: 'deadline.extension_rejected',
              payload: { taskId: task.id, extensionId, note: input.note },
            },
          ],
          outbox: [],
        };
      }
      const calendar = await ctx.calendar.calendarFor(trx);
      const applied = await applyTaskDeadline(trx, calendar, task, extendDeadline(task.deadline, fresh.working_days), {
        paused: task.paused_at !== null,
        now,
        actorId: actor.id,
      });
      return {
        result: { status: 'approved' as const, dueAt: applied.dueAt },
        events: [
          {
            ...base,
            type: 'deadline.extended',
            payload: {
              taskId: task.id,
              extensionId,
              workingDays: fresh.working_days,
              from: task.due_at?.toISOString() ?? null,
              to: applied.dueAt?.toISOString() ?? null,
            },
          },
        ],
        outbox: applied.outbox,
      };
    },
  );
}

/**
 * Stops or restarts a task's clock (e.g. while a packet is back with the handling unit for completion): on
 * pause the working days left are kept; on resume they are counted again from that day.
 */
export async function setTaskClock(
  ctx: RuntimeContext,
  actor: Actor | null,
  taskId: string,
  action: 'pause' | 'resume',
  reason: string,
) {
  const task = await clock.findTaskForClock(ctx.db, taskId);
  if (!task) throw new DomainError('not_found', 'TASK_NOT_FOUND', '任务不存在');
  if (actor) {
    assertSameDepartment(actor, task.department_id);
    if (!hasRole(actor, 'reviewer', 'legal_admin', 'chief'))
      throw new DomainError('forbidden', 'FORBIDDEN', '无权暂停或恢复期限');
  }
  return withInstanceLocked(ctx, task.instance_id, async (trx) => {
    const open = await openTaskWithDeadline(trx, taskId);
    if ((action === 'pause') === (open.paused_at !== null)) {
      throw new DomainError('conflict', 'CONFLICT', action === 'pause' ? '期限已暂停' : '期限未暂停');
    }
    const now = ctx.clock.now();
    const calendar = await ctx.calendar.calendarFor(trx);
    const deadline =
      action === 'pause' && open.due_at
        ? pauseDeadline(calendar, open.deadline, now, open.due_at)
        : resumeDeadline(open.deadline, now);
    const applied = await applyTaskDeadline(trx, calendar, open, deadline, {
      paused: action === 'pause',
      now,
      actorId: actor?.id ?? null,
    });
    return {
      result: { paused: action === 'pause', dueAt: applied.dueAt, remainingAtPause: deadline.remainingAtPause ?? null },
      events: [
        {
          instance_id: open.instance_id,
          element_id: open.element_id,
          actor_id: actor?.id ?? null,
          type: action === 'pause' ? 'deadline.paused' : 'deadline.resumed',
          payload: { taskId, reason, remainingWorkingDays: deadline.remainingAtPause ?? deadline.basisDays },
        },
      ],
      outbox: applied.outbox,
    };
  });
}
