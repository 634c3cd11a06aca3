import fp from 'fastify-plugin';
import type { TransfersContext } from './context.js';

declare module 'fastify' {
  interface FastifyInstance {
    transfers: TransfersContext;
  }
}

/** 移送涉嫌犯罪案件: its context (routes are registered by transferRoutes and transferPages). */
export const transfersPlugin = fp<{ transfers: TransfersContext }>(
  async (app, { transfers }) => {
    app.decorate('transfers', transfers);
  },
  { name: 'transfers', dependencies: ['database'] },
);
