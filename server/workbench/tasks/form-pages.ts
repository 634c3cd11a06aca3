import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { packetRevision } from '../../cases/service.js';
import { caseDiscussions } from '../../discussions/links.js';
import { withAdoptions } from '../../discussions/service.js';
import { AppError, statusOf } from '../../http/errors.js';
import { CATEGORY_LABELS, ROLE_LABELS } from '../../http/view-engine.js';
import type { Actor } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { reviewAids } from '../../similar/view.js';
import { completeTask, completionProblems } from '../../tasks/actions.js';
import { flashFor } from '../cases/flash.js';
import { type FieldErrors, packetErrors, packetFrom, refusalInput } from '../cases/submit-packet.js';
import { type TaskContext, taskContext } from './context.js';
import { deleteDraft, draftValues, type FormValues, loadDraft, saveDraft } from './drafts.js';
import { type ExtensionForm, extensionRoutes, extensionView } from './extensions.js';
import { initialValues, layoutData } from './layouts.js';
import { fieldsSummary, formFailure, payloadFrom } from './payload.js';
import { layoutOf } from './view.js';

const WORKERS = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;
const reviews = (layout: string) => layout === 'review' || layout === 'rereview';
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export interface TaskRender {
  values: FormValues;
  errors?: FieldErrors;
  formError?: string;
  /** The refusal's code, the same the API answers with (data-error-code on the page). */
  errorCode?: string;
  draftSavedAt?: Date | null;
  flash?: unknown;
  submitted?: boolean;
  extension?: ExtensionForm;
}

/** One page per step: the case it is about, what came before, and the step's own form. */
export const formPages: FastifyPluginAsync = async (app) => {
  async function renderTask(reply: FastifyReply, actor: Actor, ctx: TaskContext, r: TaskRender) {
    const { task, c } = ctx;
    const layout = layoutOf(task.step);
    const errors = r.errors ?? {};
    const data = await layoutData(app, ctx, layout, r.values, errors, r.submitted ?? false);
    const scripts = [
      '/assets/draft.js',
      '/assets/forms.js',
      ...(layout === 'packet'
        ? ['/assets/case-upload.js', '/assets/submit.js', '/assets/law-suggest.js', '/assets/basis-check.js']
        : []),
      ...(layout === 'review' || layout === 'rereview' ? ['/assets/hints.js'] : []),
    ];
    return app.renderPage(
      reply,
      'task-form.hbs',
      {
        title: c ? `${task.name} · ${c.case_number}` : task.name,
        headExtra: [
          '<link rel="stylesheet" href="/assets/case.css">',
          '<link rel="stylesheet" href="/assets/case-forms.css">',
          ...scripts.map((s) => `<script src="${s}" defer></script>`),
        ].join('\n  '),
        task: {
          id: task.id,
          name: task.name,
          elementId: task.element_id,
          step: task.step,
          status: task.status,
          roleLabel: ROLE_LABELS[task.role] ?? task.role,
          dueAt: task.due_at,
          dueProvisional: task.due_provisional,
          light: ctx.light,
        },
        c: c && {
          id: c.id,
          caseNumber: c.case_number,
          title: c.title,
          status: c.status,
          round: c.current_round,
          categoryName: CATEGORY_LABELS[c.category] ?? c.category,
        },
        layout,
        mayWork: ctx.mayWork,
        refusal: ctx.refusal,
        ...data,
        ...(layout === 'review' || layout === 'rereview' ? await reviewAids(app, actor, c) : {}),
        formError: r.formError,
        errorCode: r.errorCode,
        draftSavedAt: r.draftSavedAt ?? null,
        draftUrl: ctx.mayWork ? `/tasks/${task.id}/draft` : null,
        ext: await extensionView(app, actor, ctx, r.extension),
        discussions: c && reviews(layout) ? await caseDiscussions(app, actor, c) : null,
        flash: flashFor(r.flash),
      },
      actor,
    );
  }

  app.get('/tasks/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const ctx = await taskContext(app, actor, (request.params as { id: string }).id);
    const draft = ctx.mayWork ? await loadDraft(app.db, actor.id, `task:${ctx.task.id}`) : null;
    const layout = layoutOf(ctx.task.step);
    let values = draft?.values ?? initialValues(ctx, layout, app.clock.now());
    if (ctx.mayWork && ctx.c && reviews(layout)) {
      // A discussion summary the reviewer adopted since their draft (or the last opinion) goes into the form.
      const since = [draft?.savedAt, ctx.latestOpinion?.created_at].filter((d): d is Date => !!d);
      const after = since.length ? new Date(Math.max(...since.map((d) => d.getTime()))) : null;
      values = await withAdoptions(app.db, ctx.c.id, actor.id, after, values);
    }
    const q = request.query as Record<string, string | undefined>;
    return renderTask(reply, actor, ctx, { values, draftSavedAt: draft?.savedAt, flash: q.flash });
  });

  app.post('/tasks/:id', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const ctx = await taskContext(app, actor, (request.params as { id: string }).id);
    const body = draftValues(request.body);
    const again = (status: number, errors: FieldErrors, formError: string, errorCode: string) => {
      reply.status(status);
      return renderTask(reply, actor, ctx, { values: body, errors, formError, errorCode, submitted: true });
    };
    if (!ctx.mayWork) {
      const status = ctx.refusalCode === 'FORBIDDEN' ? 403 : 409;
      return again(status, {}, ctx.refusal ?? '您不能办理此任务。', ctx.refusalCode ?? 'FORBIDDEN');
    }
    const layout = layoutOf(ctx.task.step);
    const payload = payloadFrom(ctx.fields, body);
    if (layout === 'accept' && payload.complete === false && !payload.missing) {
      // The page's checklist: the materials left unticked are what is missing.
      const ticked = many(body.material);
      const unticked = many(body.checklist).filter((m) => !ticked.includes(m));
      if (unticked.length) payload.missing = unticked.join('\n');
    }
    // Every problem at once: the step's form and rules (the tasks service's, as the API applies them) and the
    // revised packet, before anything is saved.
    const errors: FieldErrors = {};
    for (const p of await completionProblems(app.tasks, actor, ctx.task.id, payload)) errors[p.field] ??= p.message;
    const editsPacket = layout === 'packet' && (ctx.c?.status === 'completing' || ctx.c?.status === 'correcting');
    const packet = editsPacket ? packetFrom(body) : null;
    if (packet) Object.assign(errors, packetErrors(packet));
    const count = Object.keys(errors).length;
    if (count) return again(400, errors, fieldsSummary(count), 'FORM_INVALID');
    try {
      // The revised packet and the completed step commit in one transaction.
      const alongside = packet && ctx.c ? await packetRevision(app.cases, actor, ctx.c.id, packet) : undefined;
      await completeTask(app.tasks, actor, ctx.task.id, payload, { alongside });
    } catch (err) {
      const failure = formFailure(err, ctx.task.step);
      const details = err instanceof DomainError ? (err.details as Record<string, unknown> | undefined) : undefined;
      if (details?.officerIds) {
        failure.errors.officerIds = failure.message;
        failure.message = fieldsSummary(Object.keys(failure.errors).length);
      }
      const input = refusalInput(details);
      if (input && err instanceof DomainError) {
        failure.errors = { [input]: err.message };
        failure.status = statusOf(err);
        failure.message = fieldsSummary(1);
      }
      return again(failure.status, failure.errors, failure.message, failure.code);
    }
    await deleteDraft(app.db, actor.id, `task:${ctx.task.id}`);
    return reply.redirect(ctx.c ? `/cases/${ctx.c.id}?flash=completed` : '/tasks', 303);
  });

  // Saved as the user types (forms.js), so a long review survives a reload or a lost connection.
  app.post('/tasks/:id/draft', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const ctx = await taskContext(app, actor, (request.params as { id: string }).id);
    if (!ctx.mayWork) throw new AppError(409, 'CONFLICT', ctx.refusal ?? '您不能办理此任务。');
    const savedAt = await saveDraft(app.db, actor.id, `task:${ctx.task.id}`, draftValues(request.body));
    return reply.send({ savedAt: savedAt.toISOString() });
  });

  await app.register(extensionRoutes, { renderTask });
};
