import fp from 'fastify-plugin';
import { recountProvisionalDisclosures } from './recount.js';
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
    const ctx: PublicityContext = {
      db: app.db,
      calendar: app.calendar,
      clock: app.clock,
      queues: app.queues,
      log: app.log,
    };
    // A newly loaded holiday notice re-counts disclosure deadlines counted Monday–Friday without it.
    app.calendar.onYearLoaded(async () => {
      const n = await recountProvisionalDisclosures(ctx);
      if (n) app.log.info({ disclosures: n }, 'provisional disclosure deadlines recounted');
    });
    app.decorate('publicity', ctx);
    app.decorate('publicityViews', createPortalViews());
  },
  { name: 'publicity', dependencies: ['config', 'database', 'redis', 'calendar'] },
);
