import fp from 'fastify-plugin';
import type { SupervisionContext } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    supervision: SupervisionContext;
  }
}

/** 执法监督: its context (routes and pages are registered by supervisionRoutes and supervisionPages). */
export const supervisionPlugin = fp<{ supervision: SupervisionContext }>(
  async (app, { supervision }) => {
    app.decorate('supervision', supervision);
  },
  { name: 'supervision', dependencies: ['database'] },
);
