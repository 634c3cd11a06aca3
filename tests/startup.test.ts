import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { fashen, privateRedis, START_LIMIT_MS } from './helpers/processes.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(() => database.drop());

async function exitOf(child: ReturnType<typeof fashen>) {
  const code = await new Promise<number | null>((r) => child.proc.once('exit', (c) => r(c)));
  return { code, output: child.output().trim() };
}

// Every test waits for `fashen` processes to exit, each allowed START_LIMIT_MS however loaded the machine is.
describe('starting the service', { timeout: 3 * START_LIMIT_MS }, () => {
  // Redis unreachable at start: the service starts degraded (tests/redis-outage.test.ts).
  it('refuses a Redis that may evict queued jobs', async () => {
    const redis = await privateRedis();
    try {
      const { Redis } = await import('ioredis');
      const client = new Redis(redis.url);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      client.disconnect();
      const r = await exitOf(fashen('worker', { DATABASE_URL: database.url, REDIS_URL: redis.url }));
      expect(r.code).toBe(1);
      expect(r.output).toContain('noeviction');
    } finally {
      await redis.stop();
    }
  });

  it('rejects an invalid configuration naming the variable', async () => {
    const r = await exitOf(fashen('serve', { DATABASE_URL: database.url, PORT: 'eighty' }));
    expect(r.code).toBe(1);
    expect(r.output).toContain('PORT');
  });

  it('loads demo data and deploys a BPMN file from the command line', async () => {
    const demo = await exitOf(fashen('demo', { DATABASE_URL: database.url }));
    expect(demo.code).toBe(0);
    const args = ['deploy', 'tests/fixtures/bpmn/quick-timer.bpmn', '--department', 'SCJG', '--note', '测试'];
    const deployed = await exitOf(fashen(args, { DATABASE_URL: database.url }));
    expect(deployed).toMatchObject({ code: 0 });
    expect(deployed.output).toContain('deployed quick_timer version 1');
    const refused = await exitOf(
      fashen(['deploy', 'tests/fixtures/bpmn/runaway.bpmn', '--department', 'SCJG'], { DATABASE_URL: database.url }),
    );
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('Task_b');
  });
});
