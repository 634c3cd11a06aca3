import type { FastifyPluginAsync } from 'fastify';
import { hintContext, markHint } from '../../hints/service.js';
import { AppError } from '../../http/errors.js';
import { hintsView } from '../cases/hints-view.js';
import { taskContext } from './context.js';
import { draftValues, saveDraft } from './drafts.js';

const WORKERS = ['reviewer', 'legal_admin', 'chief', 'officer', 'supervisor', 'admin'] as const;
const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

/**
 * The review step's hint buttons without script: each submits the whole step form here (formaction), so what the
 * reviewer has written is kept as the draft, then marks the hint (handled / not applicable, with its note) or quotes
 * its detail into the point's note, and returns to the step.
 */
export const hintPages: FastifyPluginAsync = async (app) => {
  app.post('/tasks/:id/hints', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const ctx = await taskContext(app, actor, (request.params as { id: string }).id);
    if (!ctx.mayWork || !ctx.c) throw new AppError(409, 'CONFLICT', ctx.refusal ?? '您不能办理此任务。');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const choice = one(body.hint);
    const bar = choice.indexOf('|');
    const [action, key] = bar > 0 ? [choice.slice(0, bar), choice.slice(bar + 1)] : ['', ''];
    const values = Object.fromEntries(
      Object.entries(draftValues(body)).filter(([k]) => k !== 'hint' && !k.startsWith('hintnote:')),
    );
    const hint = (await hintsView(app, ctx.c)).find((h) => h.key === key);
    if (!hint) throw new AppError(404, 'NOT_FOUND', '本案没有这条提示（送审材料可能已修改）');
    if (action === 'quote') {
      const before = one(values[hint.noteName]).trim();
      values[hint.noteName] = before ? `${before}\n${hint.detail}` : hint.detail;
    } else if (action === 'handled' || action === 'not_applicable') {
      await markHint(hintContext(app), actor, ctx.c, key, {
        status: action,
        note: one(body[`hintnote:${key}`]).slice(0, 1000),
      });
    } else {
      throw new AppError(400, 'BAD_REQUEST', '无法识别的操作');
    }
    await saveDraft(app.db, actor.id, `task:${ctx.task.id}`, values);
    return reply.redirect(`/tasks/${ctx.task.id}#${hint.anchor}`, 303);
  });
};
