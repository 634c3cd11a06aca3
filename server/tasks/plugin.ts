import fp from 'fastify-plugin';
import type { RuntimeContext } from '../engine/context.js';

declare module 'fastify' {
  interface FastifyInstance {
    runtime: RuntimeContext & { readonly serviceNames: readonly string[] };
  }
}

/** The engine's context (built by the assembly) for the routes and pages, with the whitelist's names. */
export const runtimePlugin = fp<{ runtime: RuntimeContext }>(
  async (app, { runtime }) => {
    app.decorate('runtime', {
      ...runtime,
      get serviceNames() {
        return runtime.services.names;
      },
    });
  },
  { name: 'runtime', dependencies: ['config', 'database', 'redis', 'calendar'] },
);
