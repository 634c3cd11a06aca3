import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError, statusOf } from '../../http/errors.js';
import type { Actor } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { decideExtension, extensionProblems, requestExtension } from '../../tasks/deadlines.js';
import { safeBack } from '../cases/flash.js';
import type { FieldErrors } from '../cases/submit-packet.js';
import { userNames } from '../cases/users.js';
import { type TaskContext, taskContext } from './context.js';
import { draftValues, type FormValues, loadDraft } from './drafts.js';
import { initialValues } from './layouts.js';
import { layoutOf } from './view.js';

const WORKERS = ['officer', 'reviewer', 'chief', 'legal_admin'] as const;
const STATUS_LABELS: Record<string, string> = { pending: '待审批', approved: '已批准', rejected: '未批准' };
/** The 延期申请 form as posted, with what was wrong with it and the refusal's code (as the API answers it). */
export interface ExtensionForm {
  values: FormValues;
  errors: FieldErrors;
  formError?: string;
  errorCode?: string;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/**
 * A task's extension requests (延期申请) and what the caller may do about them: ask for one (whoever does
 * the task, once per time limit) or decide one (a chief or the legal unit, never the requester).
 */
export async function extensionView(app: FastifyInstance, actor: Actor, ctx: TaskContext, form?: ExtensionForm) {
  const { task } = ctx;
  const sameDepartment = task.department_id === actor.departmentId;
  const userName = await userNames(app.db, task.department_id);
  const decides = sameDepartment && actor.roles.some((r) => r === 'chief' || r === 'legal_admin');
  const items = ctx.extensions.map((x) => ({
    id: x.id,
    workingDays: x.working_days,
    reason: x.reason,
    statusLabel: STATUS_LABELS[x.status] ?? x.status,
    status: x.status,
    requestedByName: userName(x.requested_by),
    requestedAt: x.requested_at,
    decidedByName: x.decided_by ? userName(x.decided_by) : null,
    decisionNote: x.decision_note,
    mayDecide: x.status === 'pending' && decides && x.requested_by !== actor.id && task.status === 'open',
  }));
  const mayRequest =
    task.status === 'open' &&
    task.due_at !== null &&
    sameDepartment &&
    actor.roles.includes(task.role as Actor['roles'][number]) &&
    !ctx.extensions.some((x) => x.status === 'pending' || x.status === 'approved');
  return {
    items,
    mayRequest,
    applies: task.due_at !== null,
    values: { workingDays: one(form?.values.workingDays) || '3', reason: one(form?.values.reason) },
    errors: form?.errors ?? {},
    formError: form?.formError,
    errorCode: form?.errorCode,
  };
}

type Render = (
  reply: FastifyReply,
  actor: Actor,
  ctx: TaskContext,
  r: { values: FormValues; extension: ExtensionForm },
) => Promise<FastifyReply>;

export const extensionRoutes: FastifyPluginAsync<{ renderTask: Render }> = async (app, { renderTask }) => {
  app.post(
    '/tasks/:id/extension',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, WORKERS);
      if (!actor) return reply;
      const ctx = await taskContext(app, actor, (request.params as { id: string }).id);
      const body = draftValues(request.body);
      const raw = one(body.workingDays).trim();
      const asked = { workingDays: raw === '' ? Number.NaN : Number(raw), reason: one(body.reason) };
      const errors: FieldErrors = {};
      const refuse = async (status: number, formError: string, errorCode: string) => {
        // The step's own form keeps what the user had written (their draft) while the request is corrected.
        const draft = ctx.mayWork ? await loadDraft(app.db, actor.id, `task:${ctx.task.id}`) : null;
        const values = draft?.values ?? initialValues(ctx, layoutOf(ctx.task.step), app.clock.now());
        reply.status(status);
        return renderTask(reply, actor, ctx, { values, extension: { values: body, errors, formError, errorCode } });
      };
      // The tasks service's own check, so the page refuses what the API refuses, with the same code.
      for (const p of extensionProblems(asked)) errors[p.field] ??= p.message;
      if (Object.keys(errors).length) return refuse(400, '延期申请填写有误，请按提示修改。', 'VALIDATION_FAILED');
      try {
        await requestExtension(app.runtime, actor, ctx.task.id, asked);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        return refuse(statusOf(err), err.message, err.code);
      }
      return reply.redirect(`/tasks/${ctx.task.id}?flash=extension_requested`, 303);
    },
  );

  app.post(
    '/extensions/:id/decision',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['chief', 'legal_admin']);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError(404, 'NOT_FOUND', '延期申请不存在');
      const body = draftValues(request.body);
      const approved = one(body.approved) === 'true';
      const note = one(body.note).trim().slice(0, 2000) || undefined;
      const result = await decideExtension(app.runtime, actor, id, { approved, note });
      const back = safeBack(one(body.back), '/tasks');
      return reply.redirect(`${back}?flash=extension_${result.status}`, 303);
    },
  );
};
