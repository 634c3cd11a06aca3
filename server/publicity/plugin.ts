import fp from 'fastify-plugin';
import type { PublicityContext } from './disclosures/timers.js';
import { createPortalViews, type PortalViews } from './portal/views.js';

declare module 'fastify' {
  interface FastifyInstance {
    publicity: PublicityContext;
    publicityViews: PortalViews;
  }
}

/** Enforcement publicity: its context and the portal's templates. Routes are registered by publicityRoutes. */
export const publicityPlugin = fp<{ publicity: PublicityContext }>(
  async (app, { publicity }) => {
    app.decorate('publicity', publicity);
    app.decorate('publicityViews', createPortalViews());
  },
  { name: 'publicity', dependencies: ['config', 'database', 'redis', 'calendar'] },
);
