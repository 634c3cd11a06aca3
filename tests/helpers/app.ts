import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { buildApp } from '../../server/app.js';
import { assemble, type Core } from '../../server/assembly.js';
import { type Config, loadConfig } from '../../server/config.js';
import type { Database } from '../../server/database/connect.js';
import { schemaCompilers } from '../../server/http/schema-compilers.js';
import * as identityQueries from '../../server/identity/queries.js';
import type { Role } from '../../server/identity/roles.js';
import { createUser } from '../../server/identity/service.js';
import type { Clock } from '../../server/infra/clock.js';
import { connectRedis } from '../../server/infra/redis.js';
import { JobQueues } from '../../server/jobs/queues.js';
import { BACKEND, createTestDatabase, type TestDatabase } from './database.js';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  departmentId: string;
  token: string;
}

export interface TestApp {
  app: FastifyInstance;
  /** The assembly the app runs on (the engine and its registries, the deploy whitelist, the calendar). */
  core: Core;
  db: Database;
  config: Config;
  database: TestDatabase;
  redis: Redis;
  queues: JobQueues;
  close(): Promise<void>;
  newDepartment(overrides?: Partial<{ code: string; name: string; enforcementStaffCount: number }>): Promise<{
    id: string;
    code: string;
  }>;
  newUser(input: { departmentId: string; roles: Role[]; username?: string; position?: string }): Promise<TestUser>;
  /** Headers for app.inject as this user. */
  as(user: TestUser): { authorization: string };
}

const TEST_PASSWORD = 'test-password-1';

/** One set per worker: the files a worker runs share its modules, so each route schema is compiled once. */
const compilers = schemaCompilers();

/** A real app on its own database (PostgreSQL, or PGlite in the pglite project) and its own Redis key prefix. */
export async function createTestApp(overrides: Partial<Config> = {}, opts: { clock?: Clock } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const config = loadConfig(
    { ...(BACKEND === 'postgres' ? { DATABASE_URL: database.url } : {}), LOG_LEVEL: 'silent', QUEUE_PREFIX: prefix },
    { LOGIN_MAX_FAILURES: 5, ...overrides },
  );
  const redis = await connectRedis(config.REDIS_URL);
  const queues = new JobQueues(config.REDIS_URL, prefix);
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const core = await assemble({ config, database: database.handle, queues, clock: opts.clock, log });
  const app = await buildApp({
    config,
    database: database.handle,
    redis,
    queues,
    ownsConnections: false,
    core,
    schemaCompilers: compilers,
  });
  await app.ready();
  let seq = 0;
  const t: TestApp = {
    app,
    core,
    db: database.handle.db,
    config,
    database,
    redis,
    queues,
    async close() {
      await app.close();
      await queues.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await database.drop();
    },
    async newDepartment(o = {}) {
      const code = o.code ?? `D${++seq}${randomBytes(2).toString('hex')}`;
      const d = await identityQueries.insertDepartment(t.db, {
        code,
        name: o.name ?? `测试执法机关${code}`,
        kind: 'agency',
        enforcement_staff_count: o.enforcementStaffCount ?? 100,
      });
      return { id: d.id, code: d.code };
    },
    async newUser({ departmentId, roles, username, position }) {
      const name = username ?? `u${++seq}${randomBytes(3).toString('hex')}`;
      const id = await createUser(t.db, {
        departmentId,
        username: name,
        displayName: `测试用户${seq}`,
        password: TEST_PASSWORD,
        roles,
        position,
        certificate: roles.includes('officer')
          ? { number: `TEST${seq}`, domain: '测试', validFrom: '2024-01-01', validUntil: '2030-01-01' }
          : undefined,
      });
      const res = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: name, password: TEST_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login failed for ${name}: ${res.body}`);
      return { id, username: name, password: TEST_PASSWORD, departmentId, token: res.json().token };
    },
    as(user) {
      return { authorization: `Bearer ${user.token}` };
    },
  };
  return t;
}

/** A clock a test sets by hand: legal deadlines are days apart, so tests move "now" instead of waiting. */
export function manualClock(start: string | Date): Clock & { set(to: string | Date): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(to) {
      current = new Date(to);
    },
  };
}
