/**
 * bench/rss: does a server's memory stay flat under steps with 100,000 open cases? Loads the cases with
 * bench/million.ts (`--cases 100000 --open-every 1`: every case open, each with its open task), starts one
 * `fashen serve` child on that database, and for N minutes drives workflow steps (clients completing tasks of a
 * looping process, as bench/engine-steps does) while readers page through the task list, case list and search,
 * the dashboard and the supervisor's page of those 100,000 cases. The server's RSS (/proc/PID/status VmRSS) is
 * sampled every 10 s; the series, its max and the growth from the first minute to the last are printed. Target:
 * max < 300 MB, and flat. The baseline is the RSS right after the server became healthy, in the same run. The
 * server is started with the node flags and memory environment of deploy/systemd/fashen-serve@.service.
 *
 *   npx tsx bench/rss.ts [--minutes 10] [--clients 8] [--readers 2] [--db <database kept by an earlier run>] [--keep]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase } from '../server/database/connect.js';
import { migrateToLatest } from '../server/database/migrate.js';
import { JobQueues } from '../server/jobs/queues.js';
import { ADMIN_URL } from '../tests/helpers/database.js';
import { numberArg } from './args.js';
import { productionLaunch } from './launch.js';

const args = process.argv.slice(2);
const MINUTES = numberArg('minutes', 10);
const CLIENTS = numberArg('clients', 8);
const READERS = numberArg('readers', 2);
const SAMPLE_MS = 10_000;
const PASSWORD = 'test-password-1';
// The key the loading run generated is sealed with its own keystore secret: the server signs with a configured one.
const SIGNING_KEY = '5a'.repeat(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The database: kept by an earlier run (--db), or loaded now by bench/million.ts and kept with --keep. */
async function loadDatabase(): Promise<string> {
  const i = args.indexOf('--db');
  if (i >= 0) return args[i + 1];
  console.log('loading 100,000 open cases (bench/million.ts --cases 100000 --open-every 1 --load-only) …');
  const child = spawn(
    'nice',
    ['-n', '10', process.execPath, '--import', 'tsx', 'bench/million.ts'].concat([
      '--cases',
      '100000',
      '--open-every',
      '1',
      '--keep',
      '--load-only',
    ]),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const name = /kept database (\S+)/.exec(out)?.[1];
  if (code !== 0 || !name) throw new Error(`loading failed (${code}):\n${out}`);
  console.log(out.split(/[\r\n]/).find((l) => l.startsWith('loaded in')) ?? '');
  return name;
}

const databaseUrl = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Migrations since the load, and the looping process the step clients drive, deployed in the bench department. */
async function prepare(url: string, dataDir: string) {
  const handle = await connectDatabase({ databaseUrl: url, dataDir: '', poolSize: 2 });
  try {
    await migrateToLatest(handle.db);
    const config = loadConfig({
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      RECORD_SIGNING_KEY: SIGNING_KEY,
    });
    const queues = new JobQueues(config.REDIS_URL, `bench-rss-${process.pid}`);
    const core = await assemble({ config, database: handle, queues, log: pino({ level: 'silent' }) as never });
    const legal = await handle.db
      .selectFrom('users')
      .select(['id', 'department_id'])
      .where('username', '=', 'bench_legal')
      .executeTakeFirst();
    if (!legal) throw new Error('not a database of bench/million.ts (no bench_legal)');
    const xml = await readFile(new URL('./loop.bpmn', import.meta.url), 'utf8');
    const existing = await handle.db
      .selectFrom('workflow_definitions')
      .select('id')
      .where('department_id', '=', legal.department_id)
      .where('process_key', '=', 'bench_loop')
      .executeTakeFirst();
    if (!existing) {
      await core.deploy({ departmentId: legal.department_id, xml, deployedBy: legal.id, changeNote: 'bench rss' });
    }
    const open = await handle.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', 'not in', ['decided', 'not_required', 'withdrawn', 'not_approved'])
      .executeTakeFirstOrThrow();
    await queues.close();
    return Number(open.n);
  } finally {
    await handle.close();
  }
}

async function waitForHealth(base: string, child: ChildProcess) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start');
    try {
      const res = await request(`${base}/health`);
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('server did not become healthy');
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

async function main() {
  const name = await loadDatabase();
  const url = databaseUrl(name);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fashen-rss-'));
  const openCases = await prepare(url, dataDir);
  const port = 3980 + Math.floor(Math.random() * 15);
  const base = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const launch = productionLaunch();
  const server = spawn(process.execPath, [...launch.nodeArgs, 'server/fashen.mjs', 'serve'], {
    env: {
      ...inherited,
      ...launch.env,
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      RECORD_SIGNING_KEY: SIGNING_KEY,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `bench-rss-${port}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const errors = new Map<string, number>();
  try {
    await waitForHealth(base, server);
    const pid = server.pid!;
    const call = async (token: string, method: 'GET' | 'POST', p: string, body?: unknown) => {
      const res = await request(`${base}${p}`, {
        method,
        dispatcher,
        headers: {
          'content-type': 'application/json',
          ...(token.startsWith('cookie:')
            ? { cookie: `fashen_session=${token.slice(7)}` }
            : token && { authorization: `Bearer ${token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300)
        throw new Error(`${method} ${p.split('?')[0]}: ${res.statusCode} ${text.slice(0, 200)}`);
      return text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    const login = async (username: string) =>
      ((await call('', 'POST', '/api/session', { username, password: PASSWORD })) as { token: string }).token;
    const officer = await login('bench_officer');
    const legal = await login('bench_legal');
    const supervisor = await login('bench_supervisor');
    const baseline = rssMb(pid);
    console.log(
      `database ${name}: ${openCases} open cases; server pid ${pid}, RSS after start ${baseline.toFixed(0)} MB; ` +
        `${MINUTES} min, ${CLIENTS} step clients, ${READERS} readers; started as deploy/systemd/fashen-serve@.service ` +
        `does: node ${launch.nodeArgs.join(' ')} ${Object.entries(launch.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}; load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );

    let running = true;
    let steps = 0;
    let reads = 0;
    const fail = (e: unknown) => {
      const k = (e as Error).message.slice(0, 120);
      errors.set(k, (errors.get(k) ?? 0) + 1);
    };
    type Step = { openTasks: { id: string }[] };
    const stepper = async () => {
      while (running) {
        try {
          const s = (await call(officer, 'POST', '/api/instances', {
            processKey: 'bench_loop',
            variables: {},
          })) as Step;
          let taskId = s.openTasks[0].id;
          // A few hundred steps on one instance, then a new one: instances and tasks accumulate as in service.
          for (let i = 0; i < 200 && running; i++) {
            const r = (await call(officer, 'POST', `/api/tasks/${taskId}/complete`, { again: true })) as Step;
            taskId = r.openTasks[0].id;
            steps++;
          }
        } catch (e) {
          fail(e);
          await sleep(200);
        }
      }
    };
    const words = ['排污', '食品', '警示标志', '不合格', '经营活动', '道路'];
    const pages: [string, () => string][] = [
      [legal, () => '/api/tasks'],
      [legal, () => `/api/cases?offset=${Math.floor(Math.random() * 20) * 50}`],
      [legal, () => `/api/cases?q=${encodeURIComponent(words[reads % words.length])}`],
      [`cookie:${legal}`, () => '/legal'],
      [`cookie:${legal}`, () => '/cases'],
      [`cookie:${supervisor}`, () => '/supervisor'],
      [`cookie:${supervisor}`, () => `/supervisor?page=${1 + (reads % 40)}`],
      [supervisor, () => '/api/supervisor/statistics?year=2026'],
    ];
    const reader = async (k: number) => {
      for (let i = k; running; i++) {
        const [token, p] = pages[i % pages.length];
        try {
          await call(token, 'GET', p());
          reads++;
        } catch (e) {
          fail(e);
          await sleep(200);
        }
      }
    };
    const loops = [
      ...Array.from({ length: CLIENTS }, stepper),
      ...Array.from({ length: READERS }, (_, k) => reader(k * 3)),
    ];
    const series: { s: number; mb: number; steps: number; reads: number }[] = [];
    const t0 = performance.now();
    const end = t0 + MINUTES * 60_000;
    while (performance.now() < end) {
      await sleep(Math.min(SAMPLE_MS, end - performance.now()));
      const point = { s: Math.round((performance.now() - t0) / 1000), mb: rssMb(pid), steps, reads };
      series.push(point);
      console.log(
        `  ${String(point.s).padStart(4)} s  RSS ${point.mb.toFixed(1).padStart(6)} MB  steps ${point.steps}  reads ${point.reads}`,
      );
    }
    running = false;
    await Promise.all(loops);
    const max = Math.max(...series.map((p) => p.mb));
    const minute = Math.max(1, Math.round(60_000 / SAMPLE_MS));
    const avg = (xs: typeof series) => xs.reduce((a, p) => a + p.mb, 0) / Math.max(1, xs.length);
    const first = avg(series.slice(0, minute));
    const last = avg(series.slice(-minute));
    console.log(
      `RSS: baseline ${baseline.toFixed(0)} MB, max ${max.toFixed(0)} MB (target < 300), first minute avg ` +
        `${first.toFixed(0)} MB, last minute avg ${last.toFixed(0)} MB (${((last / first - 1) * 100).toFixed(1)} %); ` +
        `${steps} steps, ${reads} page reads in ${MINUTES} min; load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    if (errors.size) for (const [k, n] of errors) console.log(`  errors ×${n}: ${k}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await dispatcher.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (!args.includes('--keep') && !args.includes('--db')) {
      const admin = await connectDatabase({ databaseUrl: ADMIN_URL, dataDir: '', poolSize: 1 });
      await import('kysely').then(({ sql }) => sql.raw(`DROP DATABASE IF EXISTS "${name}"`).execute(admin.db));
      await admin.close();
    } else console.log(`kept database ${name}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
