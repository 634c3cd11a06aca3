import fp from 'fastify-plugin';
import type { ComplaintsContext } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    complaints: ComplaintsContext;
  }
}

/** 投诉举报: its context (routes are registered by complaintRoutes). */
export const complaintsPlugin = fp<{ complaints: ComplaintsContext }>(
  async (app, { complaints }) => {
    app.decorate('complaints', complaints);
  },
  { name: 'complaints', dependencies: ['database'] },
);
