import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { compileViews } from '../http/view-engine.js';
import { DomainError } from '../infra/errors.js';
import { progressCases } from './progress.js';
import { answerSurvey, RATING_LABELS, RATINGS, SURVEY_QUESTION, surveyAnswerOf } from './survey.js';
import type { Rating } from './tables.js';

const render = compileViews(new URL('./views/', import.meta.url));
const RATING_CHOICES = RATINGS.map((key) => ({ key, label: RATING_LABELS[key] }));

interface ProgressForm {
  caseNumber?: string;
  partyCode?: string;
  rating?: string;
  comment?: string;
}

/**
 * The portal's 办理进度查询 page and its one-question satisfaction survey. The party's code travels only in POST
 * bodies and the answer page is never cached; a wrong pair reads exactly like a case that does not exist.
 */
export function progressPages(limit: object): FastifyPluginAsync {
  return async (app) => {
    const send = (reply: FastifyReply, data: Record<string, unknown>) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          app.publicityViews.wrap(render('public-progress', { ...data, csrfToken: reply.generateCsrf() }), {
            title: '办理进度查询',
          }),
        );

    /** The progress page for a proved pair, or the form with the one refusal message. */
    const answer = async (reply: FastifyReply, form: ProgressForm, saved?: Rating, surveyError?: string) => {
      const caseNumber = String(form.caseNumber ?? '').slice(0, 100);
      const partyCode = String(form.partyCode ?? '').slice(0, 30);
      try {
        const cases = await progressCases(app.db, caseNumber, partyCode);
        const current = await surveyAnswerOf(
          app.db,
          cases.map((c) => c.id),
        );
        return send(reply, {
          form: { caseNumber, partyCode },
          cases,
          question: SURVEY_QUESTION,
          ratings: RATING_CHOICES,
          current,
          currentLabel: current ? RATING_LABELS[current.rating] : undefined,
          saved,
          surveyError,
          savedLabel: saved ? RATING_LABELS[saved] : undefined,
        });
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind !== 'not_found') throw err;
        return send(reply.status(404), { form: { caseNumber }, error: err.message });
      }
    };

    app.get('/public/progress', { schema: { hide: true } }, async (_request, reply) => send(reply, { form: {} }));

    app.post(
      '/public/progress',
      { schema: { hide: true }, config: { rateLimit: limit }, preHandler: app.csrfProtection },
      async (request, reply) => answer(reply, (request.body ?? {}) as ProgressForm),
    );

    app.post(
      '/public/progress/survey',
      { schema: { hide: true }, config: { rateLimit: limit }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const form = (request.body ?? {}) as ProgressForm;
        const rating = RATINGS.find((r) => r === form.rating);
        if (!rating) return answer(reply.status(400), form, undefined, '请选择满意、基本满意或不满意');
        try {
          await answerSurvey(
            app.db,
            {
              caseNumber: String(form.caseNumber ?? '').slice(0, 100),
              partyCode: String(form.partyCode ?? '').slice(0, 30),
              rating,
              comment: String(form.comment ?? '').slice(0, 500),
            },
            app.clock.now(),
          );
        } catch (err) {
          if (!(err instanceof DomainError) || err.kind !== 'not_found') throw err;
        }
        return answer(reply, form, rating);
      },
    );
  };
}
