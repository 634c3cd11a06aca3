import fp from 'fastify-plugin';
import type { PublicityContext } from './timers.js';
import { createPortalViews, type PortalViews } from './views.js';

declare module 'fastify' {
  interface FastifyInstance {
    publicity: PublicityContext;
    publicityViews: PortalViews;
  }
}

/** Enforcement publicity: its context and the portal's templates. Routes are registered by publicityRoutes. */
export const publicityPlugin = fp(
  async (app) => {
    app.decorate('publicity', {
      db: app.db,
      calendar: app.calendar,
      clock: app.clock,
      queues: app.queues,
      log: app.log,
    });
    app.decorate('publicityViews', createPortalViews());
  },
  { name: 'publicity', dependencies: ['config', 'database', 'redis', 'calendar'] },
);
