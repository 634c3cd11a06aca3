import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Database, DatabaseHandle } from '../database/connect.js';
import type { JobQueues } from '../jobs/queues.js';
import type { Clock } from './clock.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    databaseKind: DatabaseHandle['kind'];
    redis: Redis;
    queues: JobQueues;
    clock: Clock;
  }
}

/** Decorates the app with the already-open connections and closes them with the app. */
export const configPlugin = fp<{ config: Config; clock: Clock }>(
  async (app, { config, clock }) => {
    app.decorate('config', config);
    app.decorate('clock', clock);
  },
  { name: 'config' },
);

export const databasePlugin = fp<{ handle: DatabaseHandle; closeOnExit: boolean }>(
  async (app, { handle, closeOnExit }) => {
    app.decorate('db', handle.db);
    app.decorate('databaseKind', handle.kind);
    if (closeOnExit) app.addHook('onClose', () => handle.close());
  },
  { name: 'database' },
);

export const redisPlugin = fp<{ redis: Redis; queues: JobQueues; closeOnExit: boolean }>(
  async (app, { redis, queues, closeOnExit }) => {
    app.decorate('redis', redis);
    app.decorate('queues', queues);
    if (closeOnExit) {
      app.addHook('onClose', async () => {
        await queues.close();
        redis.disconnect();
      });
    }
  },
  { name: 'redis' },
);
