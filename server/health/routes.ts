import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';

const Check = Type.Object({ ok: Type.Boolean(), latencyMs: Type.Number(), error: Type.Optional(Type.String()) });

async function timed(fn: () => Promise<unknown>) {
  const t0 = performance.now();
  try {
    await fn();
    return { ok: true, latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (err as Error).message };
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['运维'],
        summary: '健康检查：数据库与 Redis',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Check, redis: Check, databaseKind: Type.String() }),
          503: Type.Object({
            status: Type.Literal('degraded'),
            database: Check,
            redis: Check,
            databaseKind: Type.String(),
          }),
        },
      },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([
        timed(() => sql`select 1`.execute(app.db)),
        timed(() =>
          app.redis.status === 'ready' ? app.redis.ping() : Promise.reject(new Error(`未连接（${app.redis.status}）`)),
        ),
      ]);
      const ok = database.ok && redis.ok;
      const body = { database, redis, databaseKind: app.databaseKind };
      return ok ? { status: 'ok' as const, ...body } : reply.status(503).send({ status: 'degraded' as const, ...body });
    },
  );
};
