import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { submitCase } from '../../cases/service.js';
import { evaluateForDepartment } from '../../catalogue/service.js';
import type { CaseFacts } from '../../catalogue/vocabulary.js';
import { benchmarkChoices } from '../../discretion/choices.js';
import { statusOf } from '../../http/errors.js';
import { listUsers } from '../../identity/directory.js';
import type { Actor } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { deleteDraft, draftValues, type FormValues, loadDraft, saveDraft } from '../tasks/drafts.js';
import { flashFor } from './flash.js';
import { type FieldErrors, factsErrors, factsFrom, packetErrors, packetFrom, refusalInput } from './submit-packet.js';
import { factsFormView, packetFormView } from './submit-view.js';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

type Evaluation =
  | { mandatory: boolean; reason: string; materials: { name: string; required: boolean }[] }
  | { error: string };

export const submitPages: FastifyPluginAsync = async (app) => {
  const catalogueDeps = () => ({ db: app.db, cache: app.runtime.cache });

  /** The catalogue's judgement of the facts so far, shown before submitting (the page script refreshes it). */
  async function evaluate(actor: Actor, values: FormValues): Promise<Evaluation | null> {
    const category = one(values.category);
    const partyType = one(values.partyType);
    if (!category || !partyType) return null;
    const facts = { ...factsFrom(values), category, partyType, hearingHeld: one(values.hearingHeld) === 'true' };
    if (Object.keys(factsErrors(factsFrom(values))).length) return null;
    try {
      const r = await evaluateForDepartment(catalogueDeps(), actor.departmentId, facts as CaseFacts);
      return { mandatory: r.mandatory, reason: r.reason, materials: r.matched?.materials ?? [] };
    } catch (err) {
      if (err instanceof DomainError && statusOf(err) < 500) return { error: err.message };
      throw err;
    }
  }

  async function render(
    reply: FastifyReply,
    actor: Actor,
    values: FormValues,
    o: { errors?: FieldErrors; formError?: string; draftSavedAt?: Date | null; flash?: unknown } = {},
  ) {
    const [officers, evaluation, benchmark] = await Promise.all([
      listUsers(app.db, { departmentId: actor.departmentId, role: 'officer' }),
      evaluate(actor, values),
      benchmarkChoices(app.db, actor.departmentId),
    ]);
    const errors = o.errors ?? {};
    return app.renderPage(
      reply,
      'submit.hbs',
      {
        title: '送审',
        headExtra: [
          '<link rel="stylesheet" href="/assets/case.css">',
          '<link rel="stylesheet" href="/assets/case-forms.css">',
          '<script src="/assets/case-upload.js" defer></script>',
          '<script src="/assets/draft.js" defer></script>',
          '<script src="/assets/submit.js" defer></script>',
          '<script src="/assets/law-suggest.js" defer></script>',
          '<script src="/assets/basis-check.js" defer></script>',
        ].join('\n  '),
        departmentId: actor.departmentId,
        packetForm: packetFormView(values, errors, {
          officers: officers.filter((u) => u.active).map((u) => ({ id: u.id, name: u.display_name })),
          catalogueMaterials: evaluation && 'materials' in evaluation ? evaluation.materials : [],
          lockIdentity: false,
          defaultOfficerId: actor.id,
          benchmark,
        }),
        facts: factsFormView(values),
        factErrors: errors,
        evaluation,
        formError: o.formError,
        errorCount: Object.keys(errors).length,
        draftSavedAt: o.draftSavedAt ?? null,
        flash: flashFor(o.flash),
      },
      actor,
    );
  }

  app.get('/cases/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['officer']);
    if (!actor) return reply;
    const draft = await loadDraft(app.db, actor.id, 'packet:new');
    const q = request.query as Record<string, string | undefined>;
    return render(reply, actor, draft?.values ?? {}, { draftSavedAt: draft?.savedAt, flash: q.flash });
  });

  app.post('/cases/new', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['officer']);
    if (!actor) return reply;
    const body = draftValues(request.body);
    const packet = packetFrom(body);
    const facts = factsFrom(body);
    // Rows re-render as they were judged: blank rows dropped, so row errors point at the right row.
    const values: FormValues = {
      ...body,
      evidenceName: packet.evidence.map((e) => e.name),
      evidenceDescription: packet.evidence.map((e) => e.description ?? ''),
      basisLaw: packet.legalBasis.map((b) => b.law),
      basisArticle: packet.legalBasis.map((b) => b.article),
    };
    const refuse = (status: number, errors: FieldErrors, formError?: string) => {
      reply.status(status);
      if (wantsJson(request)) return reply.send({ errors, message: formError ?? '请按提示修改后再提交' });
      return render(reply, actor, values, { errors, formError: formError ?? '请按提示修改后再提交。' });
    };
    const errors = { ...packetErrors(packet), ...factsErrors(facts) };
    if (Object.keys(errors).length) return refuse(400, errors);
    try {
      const result = await submitCase(app.cases, actor, {
        packet,
        facts,
        requestReview: one(body.requestReview) === 'true',
      });
      await deleteDraft(app.db, actor.id, 'packet:new');
      const location = `/cases/${result.caseId}?flash=${result.reviewRequested ? 'submitted' : 'recorded'}`;
      if (wantsJson(request)) return reply.status(201).send({ caseId: result.caseId, location });
      return reply.redirect(location, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
      if (err.code === 'CASE_NUMBER_TAKEN') return refuse(409, { caseNumber: err.message });
      const details = err.details as Record<string, unknown> | undefined;
      if (details?.officerIds) return refuse(400, { officerIds: err.message });
      const input = refusalInput(details);
      if (input) return refuse(statusOf(err), { [input]: err.message });
      return refuse(statusOf(err), {}, err.message);
    }
  });

  app.post('/cases/new/draft', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['officer']);
    if (!actor) return reply;
    const savedAt = await saveDraft(app.db, actor.id, 'packet:new', draftValues(request.body));
    if (wantsJson(request)) return reply.send({ savedAt: savedAt.toISOString() });
    return reply.redirect('/cases/new?flash=draft_saved', 303);
  });

  app.post('/cases/new/discard', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['officer']);
    if (!actor) return reply;
    await deleteDraft(app.db, actor.id, 'packet:new');
    return reply.redirect('/cases/new?flash=draft_discarded', 303);
  });
};
