import fp from 'fastify-plugin';
import type { LifecycleContext } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: LifecycleContext;
  }
}

/** The case lifecycle around the review: its context, built by the assembly (which registers its timers and gate). */
export const lifecyclePlugin = fp<{ lifecycle: LifecycleContext }>(
  async (app, { lifecycle }) => {
    app.decorate('lifecycle', lifecycle);
  },
  { name: 'lifecycle', dependencies: ['cases'] },
);
