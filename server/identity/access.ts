import fp from 'fastify-plugin';
import type { DatabaseHandle } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import type { Role } from './roles.js';
import { type Actor, authenticate, type SessionRow } from './service.js';
import { SessionCache } from './session-cache.js';

/** Who may call a route. Every /api route must declare one; the server refuses to start otherwise. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export const SESSION_COOKIE = 'fashen_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** The sessions this server has checked (see SessionCache). */
    sessions: SessionCache<SessionRow>;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** The tables a session's actor is read from; a change to any of them forgets the sessions held. */
const IDENTITY_TABLES = ['sessions', 'users', 'departments'];
const IDENTITY_CHANNEL = 'fashen_identity';

export const accessPlugin = fp<{ database: DatabaseHandle; sessionCacheSize: number }>(
  async (app, { database, sessionCacheSize }) => {
    app.decorateRequest('actor', null);

    // Kept only while the database's notices of changes are heard; with size 0 nothing is kept or listened to.
    const sessions = new SessionCache<SessionRow>({ max: sessionCacheSize, ttlMs: 60_000, writeQuietMs: 5_000 });
    app.decorate('sessions', sessions);
    if (sessionCacheSize > 0) {
      const unwatch = database.watchWrites(IDENTITY_TABLES, () => sessions.writing());
      const listener = await database.listen(IDENTITY_CHANNEL, {
        notice: () => sessions.changed(),
        listening: (on) => sessions.listening(on),
      });
      app.addHook('onClose', async () => {
        unwatch();
        await listener.stop();
      });
    }

    app.addHook('onRoute', (route) => {
      const guarded = route.url.startsWith('/api/') || route.url === '/api';
      if (guarded && route.config?.access === undefined) {
        throw new Error(`Route ${route.method} ${route.url} declares no access (config.access)`);
      }
    });

    app.addHook('preHandler', async (request) => {
      const access = request.routeOptions.config?.access;
      if (access === undefined || access === 'public') return;
      const token = bearerToken(request.headers.authorization) ?? request.cookies?.[SESSION_COOKIE];
      if (!token) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
      const actor = await authenticate(app.db, token, sessions);
      request.actor = actor;
      if (access !== 'authenticated' && !access.some((role) => actor.roles.includes(role))) {
        throw new AppError(403, 'FORBIDDEN', `此操作需要以下角色之一: ${access.join(', ')}`, {
          required: access,
        });
      }
    });
  },
  { name: 'access', dependencies: ['database'] },
);

/** The authenticated caller of a route whose access is not 'public'. */
export function actorOf(request: { actor: Actor | null }): Actor {
  if (!request.actor) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
  return request.actor;
}
