/**
 * Deadlines at scale (issue 17, target 4): 100,000 pending deadlines, then 10,000 falling due within one minute.
 * Fashen's path: timers rows in PostgreSQL (complaint answer deadlines, a real timer kind), queued in BullMQ by the
 * reconciler's own function, fired by a `fashen worker` child process that re-reads each timer under its row lock.
 * The worker and the service are up before the burst's deadlines are set, as in a deployment.
 * The baseline, measured in the same run on the same Redis: raw BullMQ delayed jobs with the same shape, taken by
 * a bare Worker that only notes the time. Prints lateness p50/p99 of both and their ratio (target p99 ≤ 2× raw),
 * whether every due deadline fired exactly once within two minutes, and the p99 of an API read on a `fashen
 * serve` child while idle and during the burst (target ≤ 2×). Also prints the Redis settings this relies on.
 *
 *   npx tsx bench/timers.ts [--pending 100000] [--burst 10000] [--window 60]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { Agent, request } from 'undici';
import { reconcileTimers } from '../server/engine/timer-jobs.js';
import { createDepartment, createUser } from '../server/identity/service.js';
import { JobQueues } from '../server/jobs/queues.js';
import { createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';
import { numberArg } from './args.js';
import { productionLaunch } from './launch.js';

const PENDING = numberArg('pending', 100_000);
const BURST = numberArg('burst', 10_000);
const WINDOW_S = numberArg('window', 60);
/** The raw worker takes as many jobs at once as a `fashen worker` does (WORKER_CONCURRENCY, default 32). */
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 32);
/** The burst starts this long after its jobs are queued, so queueing is not measured as lateness. */
const LEAD_S = 20;
const PASSWORD = 'bench-password-1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};
/** Due times: the burst spread evenly over the window, the rest two hours away. */
const burstDue = (start: number, i: number) => start + Math.floor((i / BURST) * WINDOW_S * 1000);

async function redisSettings() {
  const redis = new Redis(REDIS_URL);
  const [, hz] = (await redis.config('GET', 'hz')) as string[];
  const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
  await redis.quit();
  if (policy !== 'noeviction') console.log(`WARNING: maxmemory-policy ${policy} may evict queued timer jobs`);
  return { hz, policy };
}

/** Raw BullMQ: the same numbers of delayed jobs, a bare worker noting when each ran. */
async function raw(prefix: string) {
  const connection = { url: REDIS_URL };
  const queue = new Queue('raw-deadlines', { connection, prefix });
  const far = Date.now() + 2 * 3600_000;
  const queueStart = performance.now();
  for (let i = 0; i < PENDING; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, PENDING - i) }, (_, k) => ({
        name: 'deadline',
        data: { due: far },
        opts: { jobId: `far-${i + k}`, delay: far - Date.now(), removeOnComplete: true },
      })),
    );
  }
  const start = Date.now() + LEAD_S * 1000;
  for (let i = 0; i < BURST; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, BURST - i) }, (_, k) => ({
        name: 'deadline',
        data: { due: burstDue(start, i + k) },
        opts: { jobId: `due-${i + k}`, delay: burstDue(start, i + k) - Date.now(), removeOnComplete: true },
      })),
    );
  }
  const queueSeconds = (performance.now() - queueStart) / 1000;
  const seen = new Map<string, number>();
  const lateness: number[] = [];
  const worker = new Worker(
    'raw-deadlines',
    async (job) => {
      lateness.push(Date.now() - job.data.due);
      seen.set(job.id ?? '', (seen.get(job.id ?? '') ?? 0) + 1);
    },
    { connection, prefix, concurrency: CONCURRENCY },
  );
  const deadline = start + (WINDOW_S + 120) * 1000;
  while (lateness.length < BURST && Date.now() < deadline) await sleep(250);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  const twice = [...seen.values()].filter((n) => n > 1).length;
  return { queueSeconds, lateness, fired: seen.size, twice };
}

/** A `fashen serve` or `fashen worker` child, started as its systemd unit starts it (node flags, memory env). */
function child(args: [role: 'serve' | 'worker', ...rest: string[]], env: Record<string, string>): ChildProcess {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const launch = productionLaunch(args[0]);
  return spawn(process.execPath, [...launch.nodeArgs, 'server/fashen.mjs', ...args], {
    env: { ...inherited, ...launch.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitForHealth(url: string, proc: ChildProcess) {
  for (let i = 0; i < 1200; i++) {
    if (proc.exitCode !== null) throw new Error('server exited during start');
    try {
      const res = await request(`${url}/health`);
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('server did not become healthy');
}

/** API latency: one client after another reading the supervisor's complaint counts, for `ms`. */
async function apiLatency(url: string, token: string, dispatcher: Agent, ms: number) {
  const times: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await request(`${url}/api/complaints?limit=20`, {
      dispatcher,
      headers: { authorization: `Bearer ${token}` },
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`API read: ${res.statusCode}`);
    times.push(performance.now() - t0);
  }
  return times;
}

async function fashen(prefix: string) {
  await ensureTemplate();
  const database = await createTestDatabase(4);
  const db = database.handle.db;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fashen-timers-'));
  const env = { DATABASE_URL: database.url, QUEUE_PREFIX: prefix, DATA_DIR: dataDir, REDIS_URL };
  // One agency, one complaint per deadline (the deadline's owner), one supervisor to read the API with.
  const dept = await createDepartment(db, {
    code: `TMR${process.pid}`,
    name: '计时基准测试局',
    kind: 'agency',
    enforcementStaffCount: 10,
  });
  const username = `tmr-sup-${process.pid}`;
  await createUser(db, {
    departmentId: dept.id,
    username,
    displayName: '计时基准监督员',
    password: PASSWORD,
    roles: ['supervisor'],
  });
  const total = PENDING + BURST;
  const far = new Date(Date.now() + 2 * 3600_000);
  const queueStart = performance.now();
  await sql`
    INSERT INTO complaints (number, secret_hash, department_id, about, content, complainant_name, phone, phone_hash,
                            working_days, due_at)
    SELECT 'TS20261205-' || lpad(g::text, 6, '0'), 'x', ${dept.id}, 'act', '计时基准测试投诉举报', '测试', '13800000000',
           'x', 15, ${far}
    FROM generate_series(1, ${total}) g`.execute(db);
  await sql`
    INSERT INTO timers (instance_id, element_id, execution_id, timer_type, kind, due_at)
    SELECT NULL, 'complaint', 'complaint_deadline:' || c.id, 'deadline', 'complaint_deadline', ${far}
    FROM complaints c WHERE c.department_id = ${dept.id} AND substring(c.number from 12)::int > ${BURST}`.execute(db);
  // The reconciler's own function queues every pending timer, as after a Redis loss.
  const queues = new JobQueues(REDIS_URL, prefix);
  const ctx = { db, queues, clock: { now: () => new Date() } } as never;
  const queued = await reconcileTimers(ctx, 1000);
  const queueSeconds = (performance.now() - queueStart) / 1000;
  if (queued !== PENDING) throw new Error(`queued ${queued} of ${PENDING}`);
  // The worker and the service run before the burst is set, as in a deployment: their start is not lateness. (With
  // a burst set at a fixed time, a loaded machine started the worker seconds before it, and the bench measured the
  // worker's start and JIT warm-up instead of the firing.)
  const worker = child(['worker'], env);
  const port = 3980 + Math.floor(Math.random() * 15);
  const url = `http://127.0.0.1:${port}`;
  const serve = child(['serve'], { ...env, PORT: String(port) });
  await waitForHealth(url, serve);
  while ((await queues.queue('timers').getWorkersCount()) === 0) {
    if (worker.exitCode !== null) throw new Error('worker exited during start');
    await sleep(200);
  }
  const workerReady = Date.now();
  const dispatcher = new Agent({ connections: 8 });
  const token = await login(url, dispatcher, username);
  const idle = await apiLatency(url, token, dispatcher, 10_000);

  // The burst: complaints 1..BURST get deadlines spread over the window, queued as a command's outbox would.
  const start = Date.now() + LEAD_S * 1000;
  const dues = Array.from({ length: BURST }, (_, i) => new Date(burstDue(start, i)).toISOString());
  await sql`
    INSERT INTO timers (instance_id, element_id, execution_id, timer_type, kind, due_at)
    SELECT NULL, 'complaint', 'complaint_deadline:' || c.id, 'deadline', 'complaint_deadline',
           (${dues}::timestamptz[])[substring(c.number from 12)::int]
    FROM complaints c WHERE c.department_id = ${dept.id} AND substring(c.number from 12)::int <= ${BURST}`.execute(db);
  const burstQueued = await reconcileTimers(ctx, 1000, start + (WINDOW_S + 60) * 1000 - Date.now());
  if (burstQueued !== BURST) throw new Error(`queued ${burstQueued} of ${BURST} due in the burst`);
  const workerLead = (start - workerReady) / 1000;

  // Outcomes of the timer jobs as BullMQ reports them: a fired deadline says so, a second firing would too.
  const events = new QueueEvents('timers', { connection: { url: REDIS_URL }, prefix });
  const firings = new Map<string, number>();
  events.on('completed', ({ jobId, returnvalue }) => {
    const kind = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue)?.kind;
    if (kind === 'fired') firings.set(jobId, (firings.get(jobId) ?? 0) + 1);
  });
  await events.waitUntilReady();
  const wait = start - Date.now();
  if (wait > 0) await sleep(wait);
  const during = await apiLatency(url, token, dispatcher, WINDOW_S * 1000);
  const deadline = start + (WINDOW_S + 120) * 1000;
  let fired = 0;
  while (Date.now() < deadline) {
    const row = await db
      .selectFrom('timers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'fired')
      .executeTakeFirstOrThrow();
    fired = Number(row.n);
    if (fired >= BURST) break;
    await sleep(500);
  }
  await sleep(1000);
  const rows = await db
    .selectFrom('timers')
    .select(sql<number>`extract(epoch from (ended_at - due_at)) * 1000`.as('late'))
    .where('status', '=', 'fired')
    .execute();
  const overdue = await db
    .selectFrom('complaints')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('overdue_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const lastFired = await db
    .selectFrom('timers')
    .select(sql<number>`extract(epoch from (max(ended_at) - ${new Date(start)}::timestamptz))`.as('s'))
    .where('status', '=', 'fired')
    .executeTakeFirstOrThrow();
  worker.kill('SIGTERM');
  serve.kill('SIGTERM');
  await events.close();
  await dispatcher.close();
  await new Promise((r) => setTimeout(r, 2000));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await redis.quit();
  await queues.close();
  await database.drop();
  return {
    queueSeconds,
    lateness: rows.map((r) => Number(r.late)),
    fired,
    effects: Number(overdue.n),
    twice: [...firings.values()].filter((n) => n > 1).length,
    firedEvents: firings.size,
    lastFiredAfterStart: Number(lastFired.s),
    workerLead,
    idle,
    during,
  };
}

async function login(url: string, dispatcher: Agent, username: string) {
  const res = await request(`${url}/api/session`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const body = (await res.body.json()) as { token?: string };
  if (!body.token) throw new Error(`login failed: ${JSON.stringify(body)}`);
  return body.token;
}

const settings = await redisSettings();
console.log(`Redis: hz ${settings.hz}, maxmemory-policy ${settings.policy}`);
console.log(`${PENDING} pending deadlines, then ${BURST} due within ${WINDOW_S} s`);
const base = await raw(`bench-raw-${process.pid}`);
console.log(
  `raw BullMQ: queued in ${base.queueSeconds.toFixed(1)} s; ran ${base.fired}/${BURST}, twice ${base.twice}; ` +
    `lateness p50 ${pct(base.lateness, 50).toFixed(0)} ms, p99 ${pct(base.lateness, 99).toFixed(0)} ms`,
);
const f = await fashen(`bench-tmr-${process.pid}`);
const p99 = pct(f.lateness, 99);
console.log(
  `Fashen: queued ${PENDING + BURST} timers in ${f.queueSeconds.toFixed(1)} s; fired ${f.fired}/${BURST} ` +
    `(effects ${f.effects}, fired events ${f.firedEvents}, fired twice ${f.twice}); last fired ` +
    `${f.lastFiredAfterStart.toFixed(1)} s after the burst began`,
);
console.log(`the worker was ready ${f.workerLead.toFixed(1)} s before the burst`);
console.log(
  `Fashen lateness p50 ${pct(f.lateness, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms; ` +
    `ratio p99 ${(p99 / Math.max(1, pct(base.lateness, 99))).toFixed(2)}× raw (target ≤ 2)`,
);
console.log(
  `API p99 idle ${pct(f.idle, 99).toFixed(1)} ms, during burst ${pct(f.during, 99).toFixed(1)} ms; ratio ` +
    `${(pct(f.during, 99) / pct(f.idle, 99)).toFixed(2)} (target ≤ 2)`,
);
const ok =
  f.workerLead > 0 &&
  f.fired === BURST &&
  f.effects === BURST &&
  f.twice === 0 &&
  f.lastFiredAfterStart <= WINDOW_S + 120;
console.log(ok ? 'every due deadline fired exactly once within two minutes' : 'FAILED: see the counts above');
process.exit(ok ? 0 : 1);
