/**
 * Complete-task steps per second through HTTP (50 concurrent clients against `fashen serve` child processes
 * on real PostgreSQL and Redis), against bpmn-engine's own recover → signal → getState loop in memory on the
 * same process definition, measured in the same run (bench/engine-baseline.ts, in worker threads: on smqp as Fashen
 * runs it, and on stock smqp). Prints them, the ratios, HTTP latency percentiles, what
 * one step costs (CPU of server, PostgreSQL and Redis; SQL statements and Redis calls) and what bounds the loop (the
 * servers' main threads, the whole machine's CPU: the highest ratio each allows; and how much of the time the main
 * threads ran, waited for a core or slept), then an open-loop run
 * (requests arrive at a fixed rate, whether or not earlier ones have been answered) at 50 % and 80 % of the
 * measured capacity. With --pglite the same closed loop also runs on the embedded database (`fashen start`
 * without DATABASE_URL) and its ratio to PostgreSQL is printed.
 *
 * With --gc-trace the servers run with V8's --trace-gc, and for each open-loop run the bench prints how many of the
 * requests slower than its target's half were in flight while a full collection marked, against the share of all
 * requests that were (bench/gc-windows.ts).
 *
 * With --no-timer the loop's task has no boundary timer, so a step changes no timer: Redis calls per step must be 0.
 *
 * The closed loop runs in --slices windows with a slice of the in-memory loop before each and after the last (the
 * machines here drift in speed over minutes; alternating lets both figures see the same machine).
 *
 * With --warmup S, both sides first run S seconds unmeasured: the closed loop against the servers, then the
 * in-memory loops (each for S / 2). A server just started spends a tenth of its CPU on V8's optimizing compiler for
 * its first half minute under steps (a `perf` profile of the step bench: 13 % at 25 s, 9 % at 50 s, 2.5 % at 75 s),
 * and the in-memory loop's first slice is its slowest; a server that has run for days has done that long ago.
 *
 *   npx tsx bench/engine-steps.ts [--seconds 20] [--slices 4] [--clients 50] [--servers 1] [--pglite] [--no-open]
 *     [--open-seconds <seconds / 2, at least 5>] [--gc-trace] [--no-timer] [--warmup 0]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, type DatabaseHandle } from '../server/database/connect.js';
import { migrateToLatest } from '../server/database/migrate.js';
import { loadDemoData } from '../server/demo/load.js';
import { findDepartmentByCode, findUserForLogin } from '../server/identity/queries.js';
import { JobQueues } from '../server/jobs/queues.js';
import { ADMIN_URL, createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';
import { numberArg } from './args.js';
import { type BaselineRun, workerBaseline } from './engine-baseline.js';
import { type MarkingWindow, markingWindows, slowDuringMarking } from './gc-windows.js';
import { productionLaunch } from './launch.js';
import { closedLoop, openLoop, type Target } from './step-loops.js';
import { Meters, type perStep } from './step-meters.js';

const args = process.argv.slice(2);
const SECONDS = numberArg('seconds', 20);
const CLIENTS = numberArg('clients', 50);
const SERVERS = numberArg('servers', 1);
const SLICES = numberArg('slices', 4);
const OPEN_SECONDS = numberArg('open-seconds', Math.max(5, SECONDS / 2));
const PGLITE = args.includes('--pglite');
const OPEN = !args.includes('--no-open');
const NO_TIMER = args.includes('--no-timer');
const GC_TRACE = args.includes('--gc-trace');
const WARMUP = numberArg('warmup', 0);
// Requests go to the servers in turn; the slow ones are set against one server's collections.
if (GC_TRACE && SERVERS > 1) throw new Error('--gc-trace reads one server’s collections: use it with --servers 1');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const loopXml = await readFile(new URL('./loop.bpmn', import.meta.url), 'utf8');
// The same loop without its task's 30-day boundary timer (and the flow and end event it leads to).
const xml = NO_TIMER
  ? loopXml
      .replace(/<bpmn:boundaryEvent[\s\S]*?<\/bpmn:boundaryEvent>\s*/, '')
      .replace(/<bpmn:sequenceFlow id="F_timer"[^>]*\/>\s*/, '')
      .replace(/<bpmn:endEvent id="End_late"[^>]*\/>\s*/, '')
  : loopXml;

/**
 * In-memory steps and seconds, added up over the slices run between the closed loop's windows: each slice runs the
 * loop on smqp as Fashen runs it and then on stock smqp, each in a worker thread of its own.
 */
function baselineSlices(seconds: number) {
  const patched = workerBaseline(xml, true);
  const stock = workerBaseline(xml, false);
  const sum = () => ({ steps: 0, seconds: 0, runs: [] as number[] });
  const total = sum();
  const stockTotal = sum();
  const add = (t: ReturnType<typeof sum>, r: BaselineRun) => {
    t.steps += r.steps;
    t.seconds += r.seconds;
    t.runs.push(r.steps / r.seconds);
  };
  const between = async () => {
    add(total, await patched.run(seconds));
    add(stockTotal, await stock.run(seconds));
  };
  /** Both loops run unmeasured (JIT warm-up, see --warmup). */
  const warm = async (secondsEach: number) => {
    await patched.run(secondsEach);
    await stock.run(secondsEach);
  };
  return {
    between,
    warm,
    total,
    stockTotal,
    stepsPerSecond: () => total.steps / total.seconds,
    stockStepsPerSecond: () => stockTotal.steps / stockTotal.seconds,
    close: () => Promise.all([patched.close(), stock.close()]),
  };
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
  // As production starts them (deploy/systemd/fashen-serve@.service), plus any flags a run adds.
  const launch = productionLaunch();
  const nodeArgs = [
    ...launch.nodeArgs,
    ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ...(GC_TRACE ? ['--trace-gc'] : []),
  ];
  const gcLog = (i: number) => path.join(dataDir, `gc-${i}.log`);
  let windows: MarkingWindow[] | undefined;
  const servers = urls.map((_, i) => {
    const countFile = path.join(dataDir, `counts-${i}.json`);
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const gcOut = GC_TRACE ? openSync(gcLog(i), 'w') : undefined;
    const child = spawn(
      process.execPath,
      ['--import', './bench/count-calls.mjs', ...nodeArgs, 'server/fashen.mjs', kind === 'pglite' ? 'start' : 'serve'],
      {
        env: {
          ...inherited,
          ...launch.env,
          ...env,
          DATA_DIR: dataDir,
          PORT: String(firstPort + i),
          LOG_LEVEL: 'warn',
          QUEUE_PREFIX: `bench-${firstPort}`,
          BENCH_COUNT_FILE: countFile,
        },
        stdio: ['ignore', gcOut ?? 'ignore', 'inherit'],
      },
    );
    if (gcOut !== undefined) closeSync(gcOut);
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
    ...(GC_TRACE && { markingWindows: () => windows ?? [] }),
    async stop() {
      meters.close();
      await dispatcher.close();
      for (const { child } of servers) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      // Read once the server has exited: node writes the trace through C's stdio, which flushes it then.
      if (GC_TRACE) {
        const origin = Number(readFileSync(`${servers[0].countFile}.origin`, 'utf8'));
        windows = markingWindows(readFileSync(gcLog(0), 'utf8'), origin);
      }
      await cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What bounds the closed loop, from what a step costs: the servers' main threads, where all JavaScript runs (each
 * server can do at most 1000 / its main thread's milliseconds per step), and the whole machine's CPU, which the
 * servers, PostgreSQL and the load generator share, while the in-memory loop has a core to itself (at most
 * cores × 1000 / the machine's milliseconds per step). Each is set against the in-memory loop as the highest ratio
 * it allows.
 */
function printBounds(c: ReturnType<typeof perStep>, baseline: number) {
  const named = c.serverCpuMs + c.pgCpuMs + c.redisCpuMs + c.clientCpuMs;
  const machine = (c.cores * 1000) / c.machineCpuMs;
  // With several servers the main threads' milliseconds are added up over all of them.
  const main = (SERVERS * 1000) / c.serverMainCpuMs;
  console.log(
    `    server main threads ${c.serverMainCpuMs.toFixed(2)} ms per step (the rest of the server's CPU is GC and I/O ` +
      `threads): ${SERVERS} server(s) allow at most ${main.toFixed(0)} steps/s, a ratio of ${(main / baseline).toFixed(2)}`,
  );
  if (c.mainThread) {
    // A main thread that is never idle yet runs less than all the time waits for a core others hold.
    const { running, waiting } = c.mainThread;
    console.log(
      `    server main threads were on a core ${(100 * running).toFixed(0)} % of the time, runnable but waiting for a ` +
        `core ${(100 * waiting).toFixed(0)} %, asleep ${(100 * Math.max(0, 1 - running - waiting)).toFixed(0)} % ` +
        '(/proc/…/schedstat)',
    );
  }
  console.log(
    `    machine CPU per step ${c.machineCpuMs.toFixed(2)} ms (server + PostgreSQL + Redis + load generator ` +
      `${c.clientCpuMs.toFixed(2)} ms = ${named.toFixed(2)} ms; the rest kernel and other processes), cores busy ` +
      `${(100 * c.machineBusyShare).toFixed(0)} % of ${c.cores}: ${c.cores} cores allow at most ` +
      `${machine.toFixed(0)} steps/s, a ratio of ${(machine / baseline).toFixed(2)}`,
  );
}

function printCost(label: string, c: ReturnType<typeof perStep>) {
  console.log(
    `${label} per step: server CPU ${c.serverCpuMs.toFixed(2)} ms, PostgreSQL CPU ${c.pgCpuMs.toFixed(2)} ms, ` +
      `Redis CPU ${c.redisCpuMs.toFixed(2)} ms (Redis-wide; shared), ${c.statements.toFixed(2)} SQL statements ` +
      `+ ${c.transactions.toFixed(2)} BEGIN/COMMIT pairs (target ≤ 6) in ${c.roundTrips.toFixed(2)} round trips to the database, ` +
      `${c.redisCalls.toFixed(2)} Redis calls (target 0 when no timer changes)`,
  );
  for (const line of c.statementBreakdown) console.log(`    ${line}`);
  if (c.redisBreakdown.length) console.log(`    Redis: ${c.redisBreakdown.join(', ')}`);
  if (c.timerChanges) {
    // Each step of the loop leaves its task and enters it again: the boundary timer's P30D starts over, so the old
    // timer is cancelled (its delayed job removed) and a new one scheduled (a job added) — two real timer changes.
    const changes = c.timerChanges.scheduled + c.timerChanges.closed;
    console.log(
      `    timer changes per step: ${c.timerChanges.scheduled.toFixed(2)} scheduled + ${c.timerChanges.closed.toFixed(2)} ` +
        `fired/cancelled; Redis calls per timer change ${changes ? (c.redisCalls / changes).toFixed(2) : 'n/a (none changed)'}`,
    );
  }
}

// Baseline slices half as long as the closed loop's windows: one before each window and one after the last.
const sliceSeconds = Math.max(2, SECONDS / SLICES / 2);
const base = baselineSlices(sliceSeconds);
const pgTarget = await launch('postgres');
let h: Awaited<ReturnType<typeof closedLoop>>;
const open: {
  share: number;
  target: number;
  r: Awaited<ReturnType<typeof openLoop>>;
  gc?: ReturnType<typeof slowDuringMarking>;
}[] = [];
try {
  if (WARMUP > 0) {
    await closedLoop(pgTarget, WARMUP, CLIENTS);
    await base.warm(WARMUP / 2);
  }
  h = await closedLoop(pgTarget, SECONDS, CLIENTS, { slices: SLICES, between: base.between });
  if (OPEN) {
    for (const [share, target] of [
      [0.5, 100],
      [0.8, 250],
    ]) {
      open.push({ share, target, r: await openLoop(pgTarget, h.stepsPerSecond * share, OPEN_SECONDS) });
    }
  }
} finally {
  await pgTarget.stop();
}
const windows = pgTarget.markingWindows?.();
if (windows) for (const o of open) o.gc = slowDuringMarking(o.r.requests, windows, o.target / 2);
let lite: Awaited<ReturnType<typeof closedLoop>> | undefined;
const liteBase = baselineSlices(sliceSeconds);
if (PGLITE) {
  const liteTarget = await launch('pglite');
  try {
    lite = await closedLoop(liteTarget, SECONDS, CLIENTS, { slices: SLICES, between: liteBase.between });
  } finally {
    await liteTarget.stop();
  }
}
await Promise.all([base.close(), liteBase.close()]);
const runs = (t: { runs: number[] }) => t.runs.map((r) => r.toFixed(0)).join(', ');
console.log(
  `bpmn-engine in memory (recover→signal→getState), smqp as Fashen runs it (patched): ` +
    `${base.stepsPerSecond().toFixed(0)} steps/s (${base.total.runs.length} slices of ${sliceSeconds.toFixed(1)} s ` +
    `between the HTTP windows: ${runs(base.total)}); on stock smqp: ${base.stockStepsPerSecond().toFixed(0)} steps/s ` +
    `(${runs(base.stockTotal)})`,
);
console.log(
  `Fashen over HTTP, ${CLIENTS} clients, ${SERVERS} server process(es), PostgreSQL + Redis: ${h.stepsPerSecond.toFixed(0)} steps/s ` +
    `(${SLICES} windows of ${(SECONDS / SLICES).toFixed(1)} s${WARMUP > 0 ? `, after ${WARMUP} s of warm-up on both sides` : ''})`,
);
console.log(
  `ratio HTTP / in-memory: ${(h.stepsPerSecond / base.stepsPerSecond()).toFixed(2)}  (target ≥ 0.8); ` +
    `against stock bpmn-engine: ${(h.stepsPerSecond / base.stockStepsPerSecond()).toFixed(2)}`,
);
console.log(`HTTP step latency (closed loop): p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms`);
printCost('PostgreSQL', h.cost);
printBounds(h.cost, base.stepsPerSecond());
if (h.lockWaits) {
  const w = h.lockWaits;
  console.log(
    `lock waits (pg_stat_activity every 50 ms, ${SERVERS} server process(es)): ${w.waitingSamples} of ${w.samples} samples ` +
      'had a backend waiting on a lock; waiting statements:',
  );
  for (const [k, n] of w.byStatement) console.log(`    ${n}  ${k}`);
}
for (const o of open) {
  console.log(
    `open loop at ${o.share * 100} % of capacity (${o.r.achieved.toFixed(0)} steps/s): p50 ${o.r.p50.toFixed(1)} ms, ` +
      `p99 ${o.r.p99.toFixed(1)} ms  (target p99 ≤ ${o.target} ms)`,
  );
  if (o.gc) {
    const g = o.gc;
    const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
    console.log(
      `    full collections while it ran: ${g.collections}, marking ${pct(g.markingMs / g.spanMs)} of the time, ` +
        `${g.mainThreadMs.toFixed(0)} ms of it on the main thread; requests over ${o.target / 2} ms: ${g.slow}, ` +
        `${g.slow ? pct(g.slowMarked / g.slow) : 'n/a'} of them in flight during marking (of all requests: ${pct(g.allMarkedShare)})`,
    );
  }
}
if (lite) {
  console.log(
    `PGlite (fashen start, embedded), ${CLIENTS} clients: ${lite.stepsPerSecond.toFixed(0)} steps/s, p50 ${lite.p50.toFixed(1)} ms, p99 ${lite.p99.toFixed(1)} ms`,
  );
  console.log(
    `PGlite per-step time / PostgreSQL: ${(h.stepsPerSecond / lite.stepsPerSecond).toFixed(2)}×  (target ≤ 3×); ratio PGlite / in-memory ${(lite.stepsPerSecond / liteBase.stepsPerSecond()).toFixed(2)}`,
  );
  printCost('PGlite', lite.cost);
}
process.exit(0);
