import type { FastifyInstance } from 'fastify';
import * as cases from '../../cases/reads.js';
import { visibleCase } from '../../cases/service.js';
import type { CaseRow, Packet } from '../../cases/tables.js';
import type { FormField } from '../../definitions/form-fields.js';
import { deadlineState } from '../../engine/deadlines.js';
import { assertMayWork } from '../../engine/instances.js';
import { findInstance, findTask } from '../../engine/reads.js';
import { listExtensions } from '../../engine/task-clock.js';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { type Actor, readsAllDepartments } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { withExtraFields } from './view.js';

/** Everything a task's page is about: the task, its case, whether the caller may do it, and what came before. */
export async function taskContext(app: FastifyInstance, actor: Actor, taskId: string) {
  const task = UUID.test(taskId) ? await findTask(app.db, taskId) : undefined;
  if (!task) throw new AppError(404, 'TASK_NOT_FOUND', '任务不存在');
  const found = await cases.findCaseByInstance(app.db, task.instance_id);
  const c: CaseRow | null = found ? await visibleCase(app.cases, actor, found.id) : null;
  if (!c && task.department_id !== actor.departmentId && !readsAllDepartments(actor)) {
    throw new AppError(404, 'TASK_NOT_FOUND', '任务不存在');
  }
  let mayWork = false;
  let refusal: string | null = task.status === 'open' ? null : '此任务已办结。';
  let refusalCode: string | null = task.status === 'open' ? null : 'TASK_ALREADY_COMPLETED';
  if (task.status === 'open') {
    try {
      assertMayWork(actor, task);
      mayWork = true;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refusal = err.message;
      refusalCode = err.code;
    }
  }
  const [instance, latestOpinion, extensions, rounds, calendar] = await Promise.all([
    findInstance(app.db, task.instance_id),
    c ? cases.latestOpinion(app.db, c.id) : undefined,
    listExtensions(app.db, task.id),
    c ? cases.listRounds(app.db, c.id) : [],
    app.calendar.calendarFor(app.db),
  ]);
  const light = task.status === 'open' ? deadlineState(calendar, task, app.clock.now()) : null;
  const declared = (task.form as FormField[] | null) ?? [];
  const extra =
    task.status === 'open' ? await app.tasks.stepRules.extraFields(task.step, { instanceId: task.instance_id }) : [];
  return {
    task,
    c,
    packet: (c?.packet ?? null) as Packet | null,
    fields: withExtraFields(declared, extra),
    variables: (instance?.variables ?? {}) as Record<string, unknown>,
    latestOpinion: latestOpinion ?? null,
    latestRound: rounds.at(-1) ?? null,
    extensions,
    light,
    mayWork,
    refusal,
    refusalCode,
  };
}

export type TaskContext = Awaited<ReturnType<typeof taskContext>>;
