/**
 * Redis away at start and for a while after: `fashen serve` and `fashen worker` start all the same, commands
 * commit to PostgreSQL without waiting on Redis, /health says what is missing, and once Redis is there the
 * outbox relay and the reconciler deliver: the timers of instances started during the outage fire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { type CommandResult, deploy, fixture, waitFor } from './helpers/flows.js';
import { type Child, fashen, freePort, privateRedis, START_LIMIT_MS, untilReady } from './helpers/processes.js';

let t: TestApp;
let officer: TestUser;
const children: Child[] = [];
let redis: Awaited<ReturnType<typeof privateRedis>> | undefined;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await fixture('quick-timer.bpmn'));
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await redis?.stop();
  await t.close();
});

describe('Redis unreachable when the service starts', () => {
  it('serves, commits without waiting on Redis, and delivers once Redis is back', {
    timeout: START_LIMIT_MS + 120_000,
  }, async () => {
    const redisPort = await freePort();
    const port = await freePort();
    const env = {
      DATABASE_URL: t.database.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      RECONCILE_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
    };
    const serve = fashen('serve', { ...env, PORT: String(port) });
    const worker = fashen('worker', env);
    children.push(serve, worker);
    const base = `http://127.0.0.1:${port}`;
    // Up (answering at all) is what we wait for, however long a loaded machine takes; degraded is what we check.
    await untilReady(serve, async () => (await fetch(`${base}/health`)).status > 0);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', database: { ok: true }, redis: { ok: false } });

    const login = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: officer.username, password: officer.password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const started: string[] = [];
    const took: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ processKey: 'quick_timer', variables: {} }),
      });
      took.push(performance.now() - t0);
      expect(res.status).toBe(201);
      started.push(((await res.json()) as CommandResult).instanceId);
    }
    // The answer does not wait for Redis' retries (it took 3.6 s each before).
    expect(took.slice(1).every((ms) => ms < 1000)).toBe(true);
    const pending = await t.db.selectFrom('outbox').select('id').execute();
    expect(pending.length).toBeGreaterThanOrEqual(5);

    redis = await privateRedis(redisPort);
    const fired = () =>
      t.db
        .selectFrom('instance_events')
        .select('instance_id')
        .where('type', '=', 'timer.fired')
        .where('instance_id', 'in', started)
        .execute();
    await waitFor(async () => (await fired()).length >= started.length, 60_000);
    await waitFor(async () => (await fetch(`${base}/health`)).status === 200, 30_000);

    for (const child of [serve, worker]) {
      const lines = child.output().split('\n');
      // One line says Redis is away, one that it is back; no raw stack traces.
      expect(lines.filter((l) => l.includes('Redis 不可达')).length).toBe(1);
      expect(lines.some((l) => /^\s+at /.test(l) || l.startsWith('Error:'))).toBe(false);
      // Every line is a structured log line, but the banner with the address.
      const unstructured = lines.filter((l) => l.trim() && !l.startsWith('{') && !l.startsWith('法审 Fashen 已启动'));
      expect(unstructured).toEqual([]);
    }
  });
});
