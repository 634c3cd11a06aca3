import fp from 'fastify-plugin';
import type { RuntimeContext } from '../engine/context.js';
import type { TasksContext } from './actions.js';

declare module 'fastify' {
  interface FastifyInstance {
    runtime: RuntimeContext & { readonly serviceNames: readonly string[] };
    /** The tasks service: claim and complete, with each step's rules, for the API and the pages alike. */
    tasks: TasksContext;
  }
}

/** The engine's context (built by the assembly) for the routes and pages, with the whitelist's names. */
export const runtimePlugin = fp<{ runtime: RuntimeContext; tasks: TasksContext }>(
  async (app, { runtime, tasks }) => {
    app.decorate('tasks', tasks);
    app.decorate('runtime', {
      ...runtime,
      get serviceNames() {
        return runtime.services.names;
      },
    });
  },
  { name: 'runtime', dependencies: ['config', 'database', 'redis', 'calendar'] },
);
