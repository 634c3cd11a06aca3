import fp from 'fastify-plugin';
import type { ProfileContext } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    agencyProfile: ProfileContext;
  }
}

/** What an agency discloses before enforcement (事前公开): its context. Routes and pages are registered apart. */
export const agencyProfilePlugin = fp(
  async (app) => {
    app.decorate('agencyProfile', { db: app.db, clock: app.clock });
  },
  { name: 'agency-profile', dependencies: ['config', 'database'] },
);
