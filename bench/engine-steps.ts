/**
 * Complete-task steps per second through HTTP (50 concurrent clients against a `fashen serve` child process
 * on real PostgreSQL and Redis), against bpmn-engine's own recover → signal → getState loop in memory on the
 * same process definition, measured in the same run. Prints both, the ratio and HTTP latency percentiles.
 *
 *   npx tsx bench/engine-steps.ts [--seconds 20] [--clients 50]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Engine } from 'bpmn-engine';
import pino from 'pino';
import { Agent, request } from 'undici';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { loadDemoData } from '../server/demo/load.js';
import { FeelConditions } from '../server/engine/feel.js';
import { findDepartmentByCode, findUserForLogin } from '../server/identity/queries.js';
import { JobQueues } from '../server/jobs/queues.js';
import { createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';
import { moddleOptions } from '../workflows/schema.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 20);
const CLIENTS = arg('clients', 50);
const SERVERS = arg('servers', 1);
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

async function waitForHealth(url: string, child: ChildProcess) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start');
    try {
      const res = await request(`${url}/health`);
      if (res.statusCode === 200) return;
      await res.body.dump();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

async function http(seconds: number, clients: number) {
  await ensureTemplate();
  const database = await createTestDatabase(2);
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const queues = new JobQueues(config.REDIS_URL, `bench-${process.pid}`);
  const core = await assemble({ config, database: database.handle, queues, log: pino({ level: 'silent' }) as never });
  await loadDemoData(core, { onlyIfEmpty: false });
  const dept = await findDepartmentByCode(database.handle.db, 'SCJG');
  const deployer = await findUserForLogin(database.handle.db, 'legaladmin1');
  await core.deploy({ departmentId: dept!.id, xml, deployedBy: deployer!.id, changeNote: 'bench' });
  await queues.close();
  const firstPort = 3900 + Math.floor(Math.random() * 80);
  const urls = Array.from({ length: SERVERS }, (_, i) => `http://127.0.0.1:${firstPort + i}`);
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const servers = urls.map((_, i) =>
    spawn(process.execPath, [...nodeArgs, 'server/fashen.mjs', 'serve'], {
      env: {
        ...process.env,
        // The server reaches PostgreSQL through its Unix socket when there is one, as a co-located deployment would.
        DATABASE_URL: existsSync('/var/run/postgresql/.s.PGSQL.5432')
          ? `postgres://postgres@/${database.name}?host=/var/run/postgresql`
          : database.url,
        DATABASE_POOL_SIZE: '20',
        PORT: String(firstPort + i),
        LOG_LEVEL: 'warn',
        QUEUE_PREFIX: `bench-${firstPort}`,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  try {
    for (let i = 0; i < SERVERS; i++) await waitForHealth(urls[i], servers[i]);
    const dispatcher = new Agent({ connections: clients, keepAliveTimeout: 30_000 });
    const call = async (method: 'GET' | 'POST', path: string, token?: string, body?: unknown, server = 0) => {
      const res = await request(`${urls[server % SERVERS]}${path}`, {
        method,
        dispatcher,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.body.json()) as Record<string, unknown>;
      if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`);
      return json;
    };
    const { token } = (await call('POST', '/api/session', undefined, {
      username: 'officer1',
      password: 'fashen-demo',
    })) as { token: string };
    const latencies: number[] = [];
    let steps = 0;
    let running = true;
    const client = async (_: unknown, n: number) => {
      let started = (await call('POST', '/api/instances', token, { processKey: 'bench_loop', variables: {} }, n)) as {
        openTasks: { id: string }[];
      };
      // warm-up step outside the measurement
      started = (await call(
        'POST',
        `/api/tasks/${started.openTasks[0].id}/complete`,
        token,
        { again: true },
        n,
      )) as never;
      let taskId = started.openTasks[0].id;
      await barrier;
      while (running) {
        const t0 = performance.now();
        const r = (await call('POST', `/api/tasks/${taskId}/complete`, token, { again: true }, n)) as {
          openTasks: { id: string }[];
        };
        latencies.push(performance.now() - t0);
        steps++;
        taskId = r.openTasks[0].id;
      }
    };
    let open!: () => void;
    const barrier = new Promise<void>((r) => {
      open = r;
    });
    const all = Array.from({ length: clients }, client);
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = performance.now();
    open();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    running = false;
    const elapsed = (performance.now() - t0) / 1000;
    const measured = steps;
    await Promise.all(all);
    latencies.sort((a, b) => a - b);
    await dispatcher.close();
    return {
      stepsPerSecond: measured / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    for (const server of servers) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await database.drop();
  }
}

const base1 = await baseline(Math.max(3, SECONDS / 4));
const h = await http(SECONDS, CLIENTS);
const base2 = await baseline(Math.max(3, SECONDS / 4));
const base = (base1 + base2) / 2;
console.log(
  `bpmn-engine in memory (recover→signal→getState): ${base.toFixed(0)} steps/s (runs: ${base1.toFixed(0)}, ${base2.toFixed(0)})`,
);
console.log(
  `Fashen over HTTP, ${CLIENTS} clients, ${SERVERS} server process(es), PostgreSQL + Redis: ${h.stepsPerSecond.toFixed(0)} steps/s`,
);
console.log(`ratio HTTP / in-memory: ${(h.stepsPerSecond / base).toFixed(2)}  (target ≥ 0.8)`);
console.log(`HTTP step latency: p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms  (target p99 ≤ 50 ms)`);
process.exit(0);
