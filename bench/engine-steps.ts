/**
 * Complete-task steps per second through HTTP (50 concurrent clients against `fashen serve` child processes
 * on real PostgreSQL and Redis), against bpmn-engine's own recover → signal → getState loop in memory on the
 * same process definition, measured in the same run. Prints both, the ratio, HTTP latency percentiles, what
 * one step costs (CPU of server, PostgreSQL and Redis; SQL statements and Redis calls), then an open-loop run
 * (requests arrive at a fixed rate, whether or not earlier ones have been answered) at 50 % and 80 % of the
 * measured capacity. With --pglite the same closed loop also runs on the embedded database (`fashen start`
 * without DATABASE_URL) and its ratio to PostgreSQL is printed.
 *
 *   npx tsx bench/engine-steps.ts [--seconds 20] [--clients 50] [--servers 1] [--pglite] [--no-open]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine } from 'bpmn-engine';
import pino from 'pino';
import { Agent, request } from 'undici';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, type DatabaseHandle } from '../server/database/connect.js';
import { migrateToLatest } from '../server/database/migrate.js';
import { loadDemoData } from '../server/demo/load.js';
import { FeelConditions } from '../server/engine/feel.js';
import { findDepartmentByCode, findUserForLogin } from '../server/identity/queries.js';
import { JobQueues } from '../server/jobs/queues.js';
import { ADMIN_URL, createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';
import { moddleOptions } from '../workflows/schema.js';
import { Meters, perStep } from './step-meters.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 20);
const CLIENTS = arg('clients', 50);
const SERVERS = arg('servers', 1);
const PGLITE = args.includes('--pglite');
const OPEN = !args.includes('--no-open');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const xml = await readFile(new URL('./loop.bpmn', import.meta.url), 'utf8');

async function baseline(seconds: number): Promise<number> {
  const variables = { again: true };
  const make = () => new Engine({ moddleOptions, scripts: new FeelConditions(() => variables) as never });
  const engine0 = new Engine({ source: xml, moddleOptions, scripts: new FeelConditions(() => variables) as never });
  await engine0.execute();
  let state = await engine0.getState();
  await engine0.stop();
  let steps = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const engine = make();
    engine.recover(state);
    const execution = await engine.resume();
    const task = execution.getPostponed().find((a: { id: string }) => a.id === 'Task_step');
    if (!task) throw new Error('baseline lost its task');
    task.signal({ again: true });
    state = await engine.getState();
    await engine.stop();
    steps++;
  }
  return steps / seconds;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(url: string, child: ChildProcess) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start');
    try {
      const res = await request(`${url}/health`);
      if (res.statusCode === 200) return;
      await res.body.dump();
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('server did not become healthy');
}

/** Demo data and the bench's process, deployed on the database before the servers start. */
async function prepare(handle: DatabaseHandle, databaseUrl: string | undefined, dataDir: string) {
  const config = loadConfig({
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const queues = new JobQueues(config.REDIS_URL, `bench-${process.pid}`);
  const core = await assemble({ config, database: handle, queues, log: pino({ level: 'silent' }) as never });
  await loadDemoData(core, { onlyIfEmpty: false });
  const dept = await findDepartmentByCode(handle.db, 'SCJG');
  const deployer = await findUserForLogin(handle.db, 'legaladmin1');
  await core.deploy({ departmentId: dept!.id, xml, deployedBy: deployer!.id, changeNote: 'bench' });
  await queues.close();
}

interface Target {
  call: (method: 'GET' | 'POST', path: string, body?: unknown, n?: number) => Promise<Record<string, unknown>>;
  meters: Meters;
  stop: () => Promise<void>;
}

async function launch(kind: 'postgres' | 'pglite'): Promise<Target> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fashen-bench-'));
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  let dbName: string | null = null;
  if (kind === 'postgres') {
    await ensureTemplate();
    const database = await createTestDatabase(2);
    await prepare(database.handle, database.url, dataDir);
    dbName = database.name;
    cleanup = () => database.drop();
    env = {
      // The server reaches PostgreSQL through its Unix socket when there is one, as a co-located deployment would.
      DATABASE_URL: existsSync('/var/run/postgresql/.s.PGSQL.5432')
        ? `postgres://postgres@/${database.name}?host=/var/run/postgresql`
        : database.url,
      DATABASE_POOL_SIZE: '20',
    };
  } else {
    const handle = await connectDatabase({ dataDir });
    await migrateToLatest(handle.db);
    await prepare(handle, undefined, dataDir);
    await handle.close();
    cleanup = async () => undefined;
    env = {};
  }
  const count = Math.max(1, kind === 'pglite' ? 1 : SERVERS);
  const firstPort = 3900 + Math.floor(Math.random() * 80);
  const urls = Array.from({ length: count }, (_, i) => `http://127.0.0.1:${firstPort + i}`);
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const servers = urls.map((_, i) => {
    const countFile = path.join(dataDir, `counts-${i}.json`);
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const child = spawn(
      process.execPath,
      ['--import', './bench/count-calls.mjs', ...nodeArgs, 'server/fashen.mjs', kind === 'pglite' ? 'start' : 'serve'],
      {
        env: {
          ...inherited,
          ...env,
          DATA_DIR: dataDir,
          PORT: String(firstPort + i),
          LOG_LEVEL: 'warn',
          QUEUE_PREFIX: `bench-${firstPort}`,
          BENCH_COUNT_FILE: countFile,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    return { child, countFile };
  });
  for (let i = 0; i < count; i++) await waitForHealth(urls[i], servers[i].child);
  const dispatcher = new Agent({ connections: 512, keepAliveTimeout: 30_000 });
  let token = '';
  const call: Target['call'] = async (method, p, body, n = 0) => {
    const res = await request(`${urls[n % count]}${p}`, {
      method,
      dispatcher,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode >= 300) throw new Error(`${method} ${p}: ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  token = ((await call('POST', '/api/session', { username: 'officer1', password: 'fashen-demo' })) as { token: string })
    .token;
  const meters = new Meters(servers, kind === 'postgres' ? ADMIN_URL : null, dbName, REDIS_URL);
  return {
    call,
    meters,
    async stop() {
      meters.close();
      await dispatcher.close();
      for (const { child } of servers) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Step = { openTasks: { id: string }[] };

/** A new instance, stepped once outside any measurement; returns its open task. */
async function newInstance(t: Target, n: number): Promise<string> {
  const started = (await t.call('POST', '/api/instances', { processKey: 'bench_loop', variables: {} }, n)) as Step;
  const r = (await t.call('POST', `/api/tasks/${started.openTasks[0].id}/complete`, { again: true }, n)) as Step;
  return r.openTasks[0].id;
}

/** Closed loop: each client completes its instance's task as soon as the last completion was answered. */
async function closedLoop(t: Target, seconds: number, clients: number) {
  const tasks = await Promise.all(Array.from({ length: clients }, (_, n) => newInstance(t, n)));
  const latencies: number[] = [];
  let steps = 0;
  let running = true;
  const before = await t.meters.snapshot();
  const t0 = performance.now();
  const all = tasks.map(async (first, n) => {
    let taskId = first;
    while (running) {
      const s = performance.now();
      const r = (await t.call('POST', `/api/tasks/${taskId}/complete`, { again: true }, n)) as Step;
      latencies.push(performance.now() - s);
      steps++;
      taskId = r.openTasks[0].id;
    }
  });
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const measured = steps;
  const after = await t.meters.snapshot();
  running = false;
  await Promise.all(all);
  latencies.sort((a, b) => a - b);
  return {
    stepsPerSecond: measured / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cost: perStep(before, after, measured),
  };
}

/**
 * Open loop: step requests arrive at `rate` per second on a schedule that does not wait for answers; latency is
 * counted from the scheduled arrival (a request that had to wait for a free instance counts its wait). Each
 * instance has at most one step in flight, so there are many more instances than in-flight requests.
 */
async function openLoop(t: Target, rate: number, seconds: number) {
  const pool = Math.max(100, Math.ceil(rate * 0.5));
  const idle: { taskId: string; n: number }[] = [];
  for (let i = 0; i < pool; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, pool - i) }, (_, k) =>
        newInstance(t, i + k).then((taskId) => ({ taskId, n: i + k })),
      ),
    );
    idle.push(...batch);
  }
  const waiting: (() => void)[] = [];
  const latencies: number[] = [];
  const total = Math.round(rate * seconds);
  const t0 = performance.now() + 50;
  let sent = 0;
  const inflight: Promise<void>[] = [];
  const one = async (scheduled: number) => {
    while (idle.length === 0) await new Promise<void>((r) => waiting.push(r));
    const inst = idle.pop()!;
    const r = (await t.call('POST', `/api/tasks/${inst.taskId}/complete`, { again: true }, inst.n)) as Step;
    latencies.push(performance.now() - scheduled);
    idle.push({ taskId: r.openTasks[0].id, n: inst.n });
    waiting.shift()?.();
  };
  while (sent < total) {
    const now = performance.now();
    while (sent < total && t0 + (sent * 1000) / rate <= now) {
      inflight.push(one(t0 + (sent * 1000) / rate));
      sent++;
    }
    await sleep(Math.max(0, t0 + (sent * 1000) / rate - performance.now()));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { achieved: total / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function printCost(label: string, c: ReturnType<typeof perStep>) {
  console.log(
    `${label} per step: server CPU ${c.serverCpuMs.toFixed(2)} ms, PostgreSQL CPU ${c.pgCpuMs.toFixed(2)} ms, ` +
      `Redis CPU ${c.redisCpuMs.toFixed(2)} ms (Redis-wide; shared), ${c.statements.toFixed(2)} SQL statements ` +
      `+ ${c.transactions.toFixed(2)} BEGIN/COMMIT pairs (target ≤ 6), ${c.redisCalls.toFixed(2)} Redis calls (target 0 when no timer changes)`,
  );
  for (const line of c.statementBreakdown) console.log(`    ${line}`);
  if (c.redisBreakdown.length) console.log(`    Redis: ${c.redisBreakdown.join(', ')}`);
}

const base1 = await baseline(Math.max(3, SECONDS / 4));
const pgTarget = await launch('postgres');
let h: Awaited<ReturnType<typeof closedLoop>>;
const open: { share: number; target: number; r: Awaited<ReturnType<typeof openLoop>> }[] = [];
try {
  h = await closedLoop(pgTarget, SECONDS, CLIENTS);
  if (OPEN) {
    for (const [share, target] of [
      [0.5, 100],
      [0.8, 250],
    ]) {
      open.push({ share, target, r: await openLoop(pgTarget, h.stepsPerSecond * share, Math.max(5, SECONDS / 2)) });
    }
  }
} finally {
  await pgTarget.stop();
}
let lite: Awaited<ReturnType<typeof closedLoop>> | undefined;
if (PGLITE) {
  const liteTarget = await launch('pglite');
  try {
    lite = await closedLoop(liteTarget, SECONDS, CLIENTS);
  } finally {
    await liteTarget.stop();
  }
}
const base2 = await baseline(Math.max(3, SECONDS / 4));
const base = (base1 + base2) / 2;
console.log(
  `bpmn-engine in memory (recover→signal→getState): ${base.toFixed(0)} steps/s (runs: ${base1.toFixed(0)}, ${base2.toFixed(0)})`,
);
console.log(
  `Fashen over HTTP, ${CLIENTS} clients, ${SERVERS} server process(es), PostgreSQL + Redis: ${h.stepsPerSecond.toFixed(0)} steps/s`,
);
console.log(`ratio HTTP / in-memory: ${(h.stepsPerSecond / base).toFixed(2)}  (target ≥ 0.8)`);
console.log(`HTTP step latency (closed loop): p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms`);
printCost('PostgreSQL', h.cost);
for (const o of open) {
  console.log(
    `open loop at ${o.share * 100} % of capacity (${o.r.achieved.toFixed(0)} steps/s): p50 ${o.r.p50.toFixed(1)} ms, ` +
      `p99 ${o.r.p99.toFixed(1)} ms  (target p99 ≤ ${o.target} ms)`,
  );
}
if (lite) {
  console.log(
    `PGlite (fashen start, embedded), ${CLIENTS} clients: ${lite.stepsPerSecond.toFixed(0)} steps/s, p50 ${lite.p50.toFixed(1)} ms, p99 ${lite.p99.toFixed(1)} ms`,
  );
  console.log(
    `PGlite per-step time / PostgreSQL: ${(h.stepsPerSecond / lite.stepsPerSecond).toFixed(2)}×  (target ≤ 3×); ratio PGlite / in-memory ${(lite.stepsPerSecond / base).toFixed(2)}`,
  );
  printCost('PGlite', lite.cost);
}
process.exit(0);
