import fp from 'fastify-plugin';
import { DefinitionCache } from '../definitions/compile.js';
import type { RuntimeContext } from '../engine/context.js';
import { ServiceRegistry } from '../engine/registry.js';
import { recountProvisionalRuntime } from '../engine/working-day-timers.js';

declare module 'fastify' {
  interface FastifyInstance {
    runtime: RuntimeContext & { readonly serviceNames: readonly string[] };
  }
}

/** Builds the runtime context of this process: definition cache, service whitelist, queues, budget. */
export function createRuntimeContext(
  deps: Omit<RuntimeContext, 'cache' | 'services' | 'formValidators'>,
): RuntimeContext {
  return {
    ...deps,
    cache: new DefinitionCache(),
    services: new ServiceRegistry(),
    formValidators: new WeakMap(),
  };
}

export const runtimePlugin = fp(
  async (app) => {
    const ctx = createRuntimeContext({
      db: app.db,
      calendar: app.calendar,
      queues: app.queues,
      clock: app.clock,
      log: app.log,
      stepBudget: app.config.STEP_BUDGET,
    });
    // A newly loaded holiday notice re-counts the deadlines and `P<n>WD` timers counted Monday–Friday without it.
    app.calendar.onYearLoaded(async () => {
      const { tasks, timers } = await recountProvisionalRuntime(ctx);
      if (tasks || timers) app.log.info({ tasks, timers }, 'provisional deadlines recomputed');
    });
    app.decorate('runtime', {
      ...ctx,
      get serviceNames() {
        return ctx.services.names;
      },
    });
  },
  { name: 'runtime', dependencies: ['config', 'database', 'redis', 'calendar'] },
);
