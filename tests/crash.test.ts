/**
 * Crash tests with real processes: workers and servers are child processes killed with SIGKILL, Redis is a
 * private redis-server that the tests flush and restart. PostgreSQL is the source of truth throughout.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { type CommandResult, deploy, fixture, startInstance, waitFor, workflowFile } from './helpers/flows.js';
import { type Child, fashen, freePort, healthy, privateRedis, START_LIMIT_MS } from './helpers/processes.js';

let t: TestApp;
let redis: Awaited<ReturnType<typeof privateRedis>>;
let officer: TestUser;
let reviewer: TestUser;
const children: Child[] = [];

beforeAll(async () => {
  redis = await privateRedis();
  t = await createTestApp({ REDIS_URL: redis.url });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await fixture('quick-timer.bpmn'));
  await deploy(t, legal, await workflowFile('demo-review.bpmn'));
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill9()));
  await t.close();
  await redis.stop();
});

function env(extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: t.database.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: t.config.QUEUE_PREFIX,
    RECONCILE_INTERVAL_MS: '1000',
    ...extra,
  };
}

function worker(): Child {
  const c = fashen('worker', env());
  children.push(c);
  return c;
}

async function workersConnected(n: number) {
  const q = new Queue('timers', { connection: { url: redis.url }, prefix: t.config.QUEUE_PREFIX });
  try {
    // Each worker is a fresh process: wait for it to connect, however long a loaded machine takes to start it.
    await waitFor(async () => (await q.getWorkers()).length === n, START_LIMIT_MS);
  } finally {
    await q.close();
  }
}

const firedTimers = async (instanceIds: string[]) =>
  t.db
    .selectFrom('instance_events')
    .select(['instance_id', 'element_id'])
    .where('type', '=', 'timer.fired')
    .where('instance_id', 'in', instanceIds)
    .execute();

async function startTimed(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(((await startInstance(t, officer, 'quick_timer')).json() as CommandResult).instanceId);
  return ids;
}

// Each test starts `fashen worker` processes; a loaded machine may take tens of seconds to start one.
describe('durable timers', { timeout: 3 * START_LIMIT_MS }, () => {
  it('fire after the worker is killed with SIGKILL and a new one starts', async () => {
    const first = worker();
    await workersConnected(1);
    const [id] = await startTimed(1);
    await first.kill9();
    await workersConnected(0);
    const second = worker();
    await waitFor(async () => (await firedTimers([id])).length === 2, 30_000);
    await second.stop();
  });

  it('survive a Redis FLUSHALL: the reconciler re-creates the lost jobs', async () => {
    const ids = await startTimed(3);
    await t.redis.flushall();
    expect(await t.redis.dbsize()).toBe(0);
    const w = worker();
    await workersConnected(1);
    await waitFor(async () => (await firedTimers(ids)).length === 6, 30_000);
    await w.stop();
  });

  it('survive a Redis restart without persistence', async () => {
    const ids = await startTimed(2);
    const port = redis.port;
    await redis.kill9();
    redis = await privateRedis(port);
    const w = worker();
    await waitFor(async () => (await firedTimers(ids)).length === 4, 30_000);
    await w.stop();
  });

  it('fire exactly once when two workers compete', async () => {
    const a = worker();
    const b = worker();
    await workersConnected(2);
    const ids = await startTimed(20);
    await waitFor(async () => (await firedTimers(ids)).length >= 40, 40_000);
    const fired = await firedTimers(ids);
    expect(fired).toHaveLength(40);
    const perInstance = new Map<string, string[]>();
    for (const f of fired) perInstance.set(f.instance_id, [...(perInstance.get(f.instance_id) ?? []), f.element_id!]);
    for (const id of ids) expect(perInstance.get(id)?.sort()).toEqual(['Timer_deadline', 'Timer_reminder']);
    const reminded = await t.db
      .selectFrom('tasks')
      .select('instance_id')
      .where('element_id', '=', 'Task_reminded')
      .where('instance_id', 'in', ids)
      .execute();
    expect(reminded).toHaveLength(20);
    await Promise.all([a.stop(), b.stop()]);
  });
});

describe('a server killed mid-command', () => {
  // Two `fashen serve` starts, each waited on until /health answers (up to START_LIMIT_MS on a loaded machine), and 40 commands.
  it('loses no instance and advances none twice', { timeout: 3 * START_LIMIT_MS }, async () => {
    const port = await freePort();
    const serve = () => {
      const c = fashen('serve', env({ PORT: String(port) }));
      children.push(c);
      return c;
    };
    const base = `http://127.0.0.1:${port}`;
    let server = serve();
    await healthy(server, base);
    const login = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: reviewer.username, password: reviewer.password }),
    });
    const { token } = (await login.json()) as { token: string };

    const started: CommandResult[] = [];
    for (let i = 0; i < 40; i++) started.push((await startInstance(t, officer, 'demo_review')).json());
    const acked = new Set<string>();
    const requests = started.map(async (s, i) => {
      await new Promise((r) => setTimeout(r, i * 5));
      const res = await fetch(`${base}/api/tasks/${s.openTasks[0].id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ approved: true, opinion: '同意' }),
      }).catch(() => null);
      if (res?.status === 200) acked.add(s.instanceId);
    });
    await waitFor(async () => acked.size >= 5, 20_000);
    await server.kill9();
    await Promise.all(requests);

    const rows = await t.db
      .selectFrom('process_instances')
      .select(['id', 'version', 'status'])
      .where(
        'id',
        'in',
        started.map((s) => s.instanceId),
      )
      .execute();
    expect(rows).toHaveLength(40);
    const events = await t.db
      .selectFrom('instance_events')
      .select(['instance_id', 'type'])
      .where('type', '=', 'task.completed')
      .where(
        'instance_id',
        'in',
        started.map((s) => s.instanceId),
      )
      .execute();
    const completions = (id: string) => events.filter((e) => e.instance_id === id).length;
    for (const row of rows) {
      const s = started.find((x) => x.instanceId === row.id)!;
      // Either the command committed once (version+1, one completion) or not at all.
      expect([0, 1]).toContain(completions(row.id));
      expect(row.version).toBe(s.version + completions(row.id));
      if (acked.has(row.id)) expect(completions(row.id)).toBe(1);
    }

    // After a restart every instance that did not advance can still be completed, exactly once.
    server = serve();
    await healthy(server, base);
    for (const row of rows.filter((r) => completions(r.id) === 0)) {
      const s = started.find((x) => x.instanceId === row.id)!;
      const res = await fetch(`${base}/api/tasks/${s.openTasks[0].id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ approved: true, opinion: '同意' }),
      });
      expect(res.status).toBe(200);
    }
    await server.stop();
  });
});
