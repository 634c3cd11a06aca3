import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { compileViews } from '../http/view-engine.js';
import { type ComplaintForm, readComplaintForm } from './form.js';
import { COMPLAINT_WORKING_DAYS, complaintForComplainant, receiveComplaint } from './service.js';

const NUMBER = /^TS\d{8}-[0-9A-Z]{6}$/;
const NOT_FOUND = '受理编号或查询码不正确，请核对后再查询';
const render = compileViews(new URL('./views/', import.meta.url));

/**
 * The portal's 投诉举报 pages: the form, the receipt with the number and the one-time query code, and the
 * complainant's look-up. Registered inside complaintRoutes, so the same per-address limits apply as to the API.
 * Nothing here is cached: each page carries a CSRF token or the complainant's own data.
 */
export function complaintPublicPages(limits: { submit: object; lookup: object }): FastifyPluginAsync {
  return async (app) => {
    const agencies = () =>
      app.db.selectFrom('departments').select(['id', 'name']).where('kind', '=', 'agency').orderBy('name').execute();
    const send = (reply: FastifyReply, title: string, view: string, data: Record<string, unknown>) => {
      const body = render(view, { ...data, csrfToken: reply.generateCsrf() });
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(app.publicityViews.wrap(body, { title }));
    };
    const formPage = async (reply: FastifyReply, form: ComplaintForm, errors: Record<string, string>) =>
      send(reply, '投诉举报', 'public-complaint-form', {
        agencies: await agencies(),
        form,
        errors,
        errorCount: Object.keys(errors).length,
        workingDays: COMPLAINT_WORKING_DAYS,
      });

    app.get('/public/complaints', { schema: { hide: true } }, async (request, reply) => {
      const { agency } = request.query as { agency?: string };
      return formPage(reply, { departmentId: agency }, {});
    });

    app.post(
      '/public/complaints',
      { schema: { hide: true }, config: { rateLimit: limits.submit }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const form = (request.body ?? {}) as ComplaintForm;
        const { input, errors } = readComplaintForm(form);
        if (!input) return formPage(reply.status(400), form, errors);
        const { row, code, agencyName } = await receiveComplaint(app.complaints, input);
        return send(reply.status(201), '投诉举报已收到', 'public-complaint-receipt', {
          number: row.number,
          queryCode: code,
          agency: agencyName,
          dueAt: row.due_at,
        });
      },
    );

    app.post(
      '/public/complaints/lookup',
      { schema: { hide: true }, config: { rateLimit: limits.lookup }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const body = (request.body ?? {}) as { number?: string; code?: string };
        const number = String(body.number ?? '')
          .trim()
          .toUpperCase();
        const c = NUMBER.test(number) ? await complaintForComplainant(app.db, number, String(body.code ?? '')) : null;
        if (!c) {
          return send(reply.status(404), '投诉举报办理情况', 'public-complaint-status', {
            notFound: NOT_FOUND,
            lookup: { number },
          });
        }
        return send(reply, '投诉举报办理情况', 'public-complaint-status', {
          complaint: {
            number: c.number,
            agency: c.agency_name,
            receivedAt: c.created_at,
            dueAt: c.due_at,
            answer: c.answer,
            answeredAt: c.answered_at,
          },
        });
      },
    );
  };
}
