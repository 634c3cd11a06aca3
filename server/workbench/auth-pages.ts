import type { FastifyPluginAsync } from 'fastify';
import { statusOf } from '../http/errors.js';
import { SESSION_COOKIE } from '../identity/access.js';
import { authenticate, login, logout } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';

/** Only same-site paths may be a login's next page. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const authPages: FastifyPluginAsync = async (app) => {
  app.get('/login', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    return app.renderPage(
      reply,
      'login.hbs',
      { title: '登录', next: safeNext(q.next), expired: q.expired === '1' },
      null,
    );
  });

  app.post('/login', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as Record<string, string | undefined>;
    const next = safeNext(body.next);
    try {
      const { token, expiresAt } = await login(
        {
          db: app.db,
          sessionTtlMinutes: app.config.SESSION_TTL_MINUTES,
          maxFailures: app.config.LOGIN_MAX_FAILURES,
          lockSeconds: app.config.LOGIN_LOCK_SECONDS,
        },
        body.username ?? '',
        body.password ?? '',
        request.ip,
      );
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.COOKIE_SECURE,
        path: '/',
        expires: expiresAt,
      });
      return reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
      reply.status(statusOf(err));
      return app.renderPage(
        reply,
        'login.hbs',
        { title: '登录', next, error: err.message, username: body.username },
        null,
      );
    }
  });

  app.post('/logout', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const actor = await authenticate(app.db, token).catch(() => null);
      if (actor) await logout(app.db, actor);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply);
    if (!actor) return reply;
    const home = actor.roles.some((r) => ['officer', 'reviewer', 'chief', 'legal_admin'].includes(r))
      ? '/tasks'
      : actor.roles.includes('supervisor')
        ? '/supervisor'
        : '/admin';
    return reply.redirect(home, 303);
  });
};
