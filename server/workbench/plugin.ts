import { fileURLToPath } from 'node:url';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../http/errors.js';
import { createViewEngine, ROLE_LABELS } from '../http/view-engine.js';
import { SESSION_COOKIE } from '../identity/access.js';
import type { Role } from '../identity/roles.js';
import { type Actor, authenticate } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';

const VIEWS = fileURLToPath(new URL('./views/', import.meta.url));
const PUBLIC = fileURLToPath(new URL('./public/', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    /** The signed-in user of a page, or null after replying with a redirect to the login page. */
    pageActor(request: FastifyRequest, reply: FastifyReply, roles?: readonly Role[]): Promise<Actor | null>;
    /** Renders a page inside the layout with the navigation for the user. */
    renderPage(reply: FastifyReply, page: string, data: Record<string, unknown>, actor: Actor | null): FastifyReply;
  }
}

const NAV: { href: string; label: string; roles: Role[] }[] = [
  { href: '/tasks', label: '待办', roles: ['officer', 'reviewer', 'chief', 'legal_admin'] },
  { href: '/cases/new', label: '送审', roles: ['officer'] },
  { href: '/cases', label: '案件', roles: ['officer', 'reviewer', 'chief', 'legal_admin'] },
  { href: '/legal', label: '法制机构', roles: ['legal_admin', 'chief'] },
  { href: '/supervisor', label: '执法监督', roles: ['supervisor', 'admin'] },
  { href: '/supervision', label: '监督意见', roles: ['supervisor', 'admin', 'legal_admin', 'chief'] },
  { href: '/indicators', label: '考核指标', roles: ['supervisor', 'admin', 'legal_admin', 'chief'] },
  { href: '/complaints', label: '投诉举报', roles: ['legal_admin', 'chief', 'supervisor'] },
  { href: '/discussions', label: '疑难案例探讨', roles: ['reviewer', 'legal_admin'] },
  { href: '/evaluation', label: '案卷评查', roles: ['supervisor', 'admin', 'reviewer', 'legal_admin'] },
  { href: '/modeler', label: '流程与目录', roles: ['legal_admin'] },
  { href: '/legal/review-points', label: '审核要点', roles: ['legal_admin'] },
  { href: '/legal/discretion', label: '裁量基准', roles: ['legal_admin'] },
  { href: '/legal/laws', label: '法律法规库', roles: ['legal_admin', 'admin'] },
  { href: '/changes', label: '流程目录变更', roles: ['legal_admin', 'supervisor', 'admin'] },
  { href: '/admin', label: '系统管理', roles: ['admin'] },
  { href: '/publicity', label: '执法公示', roles: ['legal_admin', 'chief'] },
  { href: '/publicity/profile', label: '事前公开', roles: ['legal_admin'] },
  { href: '/me/certificate', label: '我的执法证', roles: ['officer'] },
];

/**
 * The server-rendered workbench: Handlebars views in a layout, static assets, form bodies, CSRF tokens
 * (double-submit cookie) on every form, and page authentication by the session cookie that redirects to
 * /login — saying so when the session has expired.
 */
export const workbenchPlugin = fp(
  async (app) => {
    await app.register(formbody, { bodyLimit: 1024 * 1024 });
    await app.register(csrf, {
      cookieKey: 'fashen_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: app.config.COOKIE_SECURE },
      getToken: (req) =>
        (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string),
    });
    await app.register(fastifyStatic, { root: PUBLIC, prefix: '/assets/', decorateReply: false, maxAge: '1h' });
    await app.register(fastifyStatic, {
      root: fileURLToPath(new URL('../../node_modules/bpmn-js/dist/', import.meta.url)),
      prefix: '/assets/bpmn-js/',
      decorateReply: false,
      maxAge: '1d',
      allowedPath: (p) => p.endsWith('.js') || p.endsWith('.css'),
    });
    await app.register(view, {
      engine: { handlebars: createViewEngine() },
      root: VIEWS,
      layout: 'layout.hbs',
      viewExt: 'hbs',
      options: {
        partials: {
          taskTable: 'partials/task-table.hbs',
          flash: 'partials/flash.hbs',
          'case-challenges': 'partials/case-challenges.hbs',
          'case-transfer': 'partials/case-transfer.hbs',
          caseTransferOrgan: 'partials/case-transfer-organ.hbs',
          'case-discussions': 'partials/case-discussions.hbs',
          casePacket: 'case-packet.hbs',
          caseOpinion: 'case-opinion.hbs',
          caseUpload: 'case-upload.hbs',
          packetFields: 'submit-packet-fields.hbs',
          taskFormField: 'task-form-field.hbs',
          taskFormReview: 'task-form-review.hbs',
          taskFormAccept: 'task-form-accept.hbs',
          taskFormChief: 'task-form-chief.hbs',
          taskFormExtension: 'task-form-extension.hbs',
          similarCases: 'similar-cases.hbs',
          lawSuggestions: 'law-suggestions.hbs',
          caseHints: 'case-hints.hbs',
          hintItem: 'hint-item.hbs',
        },
      },
      production: process.env.NODE_ENV !== 'development',
    });

    app.decorate('pageActor', async (request: FastifyRequest, reply: FastifyReply, roles?: readonly Role[]) => {
      const token = request.cookies[SESSION_COOKIE];
      const next = encodeURIComponent(request.url);
      if (!token) {
        await reply.redirect(`/login?next=${next}`);
        return null;
      }
      try {
        const actor = await authenticate(app.db, token);
        if (roles && !roles.some((r) => actor.roles.includes(r))) {
          throw new AppError(
            403,
            'FORBIDDEN',
            `此页面需要以下角色之一：${roles.map((r) => ROLE_LABELS[r]).join('、')}`,
          );
        }
        request.actor = actor;
        return actor;
      } catch (err) {
        if (err instanceof DomainError && (err.code === 'SESSION_EXPIRED' || err.code === 'UNAUTHENTICATED')) {
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
          await reply.redirect(`/login?next=${next}${err.code === 'SESSION_EXPIRED' ? '&expired=1' : ''}`);
          return null;
        }
        throw err;
      }
    });

    app.decorate(
      'renderPage',
      (reply: FastifyReply, page: string, data: Record<string, unknown>, actor: Actor | null) => {
        const nav = actor ? NAV.filter((n) => n.roles.some((r) => actor.roles.includes(r))) : [];
        const path = reply.request.url.split('?')[0];
        const matches = (href: string) => path === href || (href !== '/cases' && path.startsWith(`${href}/`));
        // The most specific entry is current (/publicity/profile, not /publicity).
        const current = nav.filter((n) => matches(n.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
        return reply.header('cache-control', 'no-store').view(page, {
          ...data,
          actor,
          roleNames: actor?.roles.map((r) => ROLE_LABELS[r]).join('、'),
          nav: nav.map((n) => ({ ...n, current: n.href === current })),
          csrfToken: reply.generateCsrf(),
        });
      },
    );
  },
  { name: 'workbench', dependencies: ['database'] },
);
