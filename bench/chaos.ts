// Chaos: several `fashen serve` and `fashen worker` processes under a small supervisor, on their own Redis,
// driven with timers, case submissions (with Idempotency-Key, retried through faults) and double completions
// raced across two servers, while processes are killed with SIGKILL and Redis is flushed and restarted. Then
// the invariants: every timer fired exactly once, no task created twice, one winner per race, one case per
// key, no 5xx, no failed instance, and `fashen verify` passes. Prints the faults, timer lateness (all, and
// for timers due during a fault) and recovery figures.
// Run: npx tsx bench/chaos.ts [--seconds 60] [--servers 2] [--workers 2] [--fault-every 4]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createTestApp, type TestUser } from '../tests/helpers/app.js';
import { deploy, fixture, waitFor, workflowFile } from '../tests/helpers/flows.js';
import { type Child, fashen, freePort, privateRedis } from '../tests/helpers/processes.js';
import { FACTS, packet } from '../tests/helpers/review.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    servers: { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
    'fault-every': { type: 'string', default: '4' },
  },
});
const SECONDS = Number(values.seconds);
const KEYSTORE_SECRET = `chaos-${randomUUID()}`;

const redisPort = await freePort();
let redis = await privateRedis(redisPort);
const t = await createTestApp({ REDIS_URL: redis.url, KEYSTORE_SECRET });
const d = await t.newDepartment();
const officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
const reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
await deploy(t, legal, await fixture('quick-timer.bpmn'));
await deploy(t, legal, await workflowFile('demo-review.bpmn'));
await deploy(t, legal, await workflowFile('legal-review.bpmn'));

const env = {
  DATABASE_URL: t.database.url,
  REDIS_URL: redis.url,
  QUEUE_PREFIX: t.config.QUEUE_PREFIX,
  DATA_DIR: t.config.dataDir,
  KEYSTORE_SECRET,
  RECONCILE_INTERVAL_MS: '2000',
  CHECKPOINT_INTERVAL_MS: '5000',
  LOG_LEVEL: 'warn',
};

/** The supervisor: keeps each process running, restarting it half a second after it dies. */
interface Slot {
  role: 'serve' | 'worker';
  port?: number;
  child: Child;
  up: boolean;
}
const slots: Slot[] = [];
let supervising = true;
function launch(slot: Omit<Slot, 'child' | 'up'>): Slot {
  const s = slot as Slot;
  s.child = fashen(s.role, s.port ? { ...env, PORT: String(s.port) } : env);
  // A server takes requests once it answers /health; a worker counts as up from its start.
  s.up = s.role === 'worker';
  if (s.role === 'serve') {
    waitFor(async () => (await fetch(`http://127.0.0.1:${s.port}/health`).catch(() => null)) ?? undefined, 90_000)
      .then(() => {
        s.up = s.child.proc.exitCode === null;
      })
      .catch(() => undefined);
  }
  s.child.proc.once('exit', () => {
    s.up = false;
    if (supervising) setTimeout(() => Object.assign(s, launch(s)), 500);
  });
  return s;
}
for (let i = 0; i < Number(values.servers); i++) slots.push(launch({ role: 'serve', port: await freePort() }));
for (let i = 0; i < Number(values.workers); i++) slots.push(launch({ role: 'worker' }));
const servers = () => slots.filter((s) => s.role === 'serve');
await waitFor(async () => servers().every((s) => s.up) || undefined, 90_000);

const stats = { requests: 0, fiveXX: [] as string[], networkErrors: 0, races: 0, raceProblems: [] as string[] };
const faults: { kind: string; at: number; end: number }[] = [];

/** A request to a random live server; a dropped connection counts and is not retried here. */
async function call(
  user: TestUser,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const live = servers().filter((s) => s.up);
  const s = live[Math.floor(Math.random() * live.length)] ?? servers()[0];
  return callAt(s.port as number, user, method, path, body, headers);
}
async function callAt(port: number, user: TestUser, method: string, path: string, body?: unknown, headers = {}) {
  stats.requests++;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status >= 500) stats.fiveXX.push(`${method} ${path} ${res.status} ${await res.text()}`);
    return res;
  } catch {
    stats.networkErrors++;
    return null;
  }
}

const timerInstances: string[] = [];
const caseKeys = new Map<string, string>();
/** Keys whose request was cut off by a kill and stayed `409 IDEMPOTENCY_IN_PROGRESS`: outcome unknown. */
let unknownOutcomes = 0;
const stopAt = Date.now() + SECONDS * 1000;

async function timerLoad() {
  while (Date.now() < stopAt) {
    const res = await call(officer, 'POST', '/api/instances', { processKey: 'quick_timer', variables: {} });
    if (res?.status === 201) timerInstances.push(((await res.json()) as { instanceId: string }).instanceId);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Submits a case, retrying through faults with one Idempotency-Key until an answer comes. */
async function caseLoad() {
  while (Date.now() < stopAt) {
    const key = randomUUID();
    const body = { packet: packet(), facts: FACTS };
    caseKeys.set(key, body.packet.caseNumber);
    let answered = false;
    for (let attempt = 0; attempt < 20 && !answered; attempt++) {
      const res = await call(officer, 'POST', '/api/cases', body, { 'idempotency-key': key });
      answered = !!res && res.status !== 409 && res.status < 500;
      if (!answered) await new Promise((r) => setTimeout(r, 500));
    }
    if (!answered) unknownOutcomes++;
  }
}

/** Two completions of one task at once, through two servers: one must win, the other hear 409. */
async function raceLoad() {
  while (Date.now() < stopAt) {
    const started = await call(officer, 'POST', '/api/instances', { processKey: 'demo_review', variables: {} });
    if (started?.status !== 201) continue;
    const taskId = ((await started.json()) as { openTasks: { id: string }[] }).openTasks[0].id;
    const [a, b] = servers();
    const form = { approved: true, opinion: '同意' };
    const answers = await Promise.all(
      [a, b].map((s) => callAt(s.port as number, reviewer, 'POST', `/api/tasks/${taskId}/complete`, form)),
    );
    if (answers.some((r) => r === null)) continue; // a server died mid-race: judged by the task's record below
    stats.races++;
    const codes = answers.map((r) => r?.status).sort();
    if (codes[0] !== 200 || codes[1] !== 409) stats.raceProblems.push(`${taskId}: ${codes.join(',')}`);
  }
}

async function faultLoop() {
  const every = Number(values['fault-every']) * 1000;
  while (Date.now() < stopAt - every) {
    await new Promise((r) => setTimeout(r, every));
    const kind = ['kill serve', 'kill worker', 'flushall', 'restart redis'][Math.floor(Math.random() * 4)];
    const at = Date.now();
    if (kind === 'kill serve' || kind === 'kill worker') {
      const pool = slots.filter((s) => s.role === (kind === 'kill serve' ? 'serve' : 'worker') && s.up);
      const victim = pool[Math.floor(Math.random() * pool.length)];
      await victim?.child.kill9();
      await waitFor(async () => victim?.up, 60_000).catch(() => undefined);
    } else if (kind === 'flushall') {
      const { Redis } = await import('ioredis');
      const c = new Redis(redis.url);
      await c.flushall();
      c.disconnect();
    } else {
      await redis.stop();
      await new Promise((r) => setTimeout(r, 1000));
      redis = await privateRedis(redisPort);
    }
    faults.push({ kind, at, end: Date.now() });
  }
}

console.log(
  `chaos: ${SECONDS} s, ${values.servers} serve, ${values.workers} worker, a fault every ${values['fault-every']} s`,
);
await Promise.all([timerLoad(), caseLoad(), raceLoad(), raceLoad(), faultLoop()]);

// Quiescence: everything running, every timer due by now fired.
const recoveryStart = Date.now();
await waitFor(async () => slots.every((s) => s.up) || undefined, 60_000);
await waitFor(async () => {
  const row = await t.db
    .selectFrom('timers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .where('due_at', '<', new Date())
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0 || undefined;
}, 180_000);
const recoveryMs = Date.now() - recoveryStart;
supervising = false;

const problems: string[] = [];
const fired = await t.db
  .selectFrom('timers as tm')
  .leftJoin('instance_events as e', (j) =>
    j
      .onRef('e.instance_id', '=', 'tm.instance_id')
      .onRef('e.element_id', '=', 'tm.element_id')
      .on('e.type', '=', 'timer.fired'),
  )
  .select([
    'tm.id',
    'tm.due_at',
    'tm.status',
    (eb) => eb.fn.count<string>('e.id').as('fires'),
    (eb) => eb.fn.min('e.at').as('fired_at'),
  ])
  .where('tm.instance_id', 'in', timerInstances.length ? timerInstances : [randomUUID()])
  .groupBy(['tm.id', 'tm.due_at', 'tm.status'])
  .execute();
const firedTimers = fired.filter((f) => f.status === 'fired');
for (const f of fired) if (Number(f.fires) > 1) problems.push(`timer ${f.id} fired ${f.fires} times`);
for (const f of firedTimers)
  if (Number(f.fires) !== 1) problems.push(`timer ${f.id} marked fired, ${f.fires} fire events`);
const duplicates = await sql<{ n: string }>`
  SELECT count(*) AS n FROM (SELECT 1 FROM tasks GROUP BY instance_id, element_id, execution_id HAVING count(*) > 1) d`.execute(
  t.db,
);
if (Number(duplicates.rows[0].n) > 0) problems.push(`${duplicates.rows[0].n} tasks created twice`);
const failed = await t.db.selectFrom('process_instances').select('id').where('status', '=', 'failed').execute();
if (failed.length) problems.push(`${failed.length} failed instances (incidents)`);
const numbers = [...caseKeys.values()];
const cases = numbers.length
  ? await t.db.selectFrom('cases').select('case_number').where('case_number', 'in', numbers).execute()
  : [];
if (cases.length !== new Set(cases.map((c) => c.case_number)).size) problems.push('a case number stored twice');
const lost = numbers.length - cases.length;
problems.push(...stats.fiveXX.slice(0, 5), ...stats.raceProblems.slice(0, 5));
const verify = fashen(['verify', '--files'], env);
const verifyCode = await new Promise<number | null>((r) => verify.proc.once('exit', (c) => r(c)));
if (verifyCode !== 0) problems.push(`fashen verify exited ${verifyCode}: ${verify.output().slice(-500)}`);

const lateness = (rows: typeof firedTimers) =>
  rows.map((f) => new Date(f.fired_at as unknown as string).getTime() - f.due_at.getTime()).sort((x, y) => x - y);
const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : 0);
const during = firedTimers.filter((f) => faults.some((x) => f.due_at.getTime() >= x.at && f.due_at.getTime() <= x.end));
const kinds = new Map<string, number>();
for (const f of faults) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
const byKind = [...kinds].map(([k, n]) => `${k} ×${n}`);
console.log(`faults: ${faults.length} (${byKind.join(', ')})`);
console.log(
  `requests: ${stats.requests}, dropped by a killed server: ${stats.networkErrors}, 5xx: ${stats.fiveXX.length}`,
);
console.log(`races: ${stats.races} judged, ${stats.raceProblems.length} without exactly one winner`);
console.log(
  `cases: ${numbers.length} keys, ${cases.length} stored, one per key; ${unknownOutcomes} left 409 "outcome unknown" by a kill mid-request (${lost} of them not stored)`,
);
for (const [label, rows] of [
  ['all timers', firedTimers],
  ['due during a fault', during],
] as const) {
  const l = lateness(rows);
  console.log(
    `${label}: ${rows.length} fired, lateness p50 ${pct(l, 0.5)} ms, p99 ${pct(l, 0.99)} ms, max ${l.at(-1) ?? 0} ms`,
  );
}
console.log(`recovery after the last fault: ${recoveryMs} ms until every due timer had fired`);
console.log(
  problems.length ? `INVARIANTS BROKEN:\n  ${problems.join('\n  ')}` : 'invariants: all held; fashen verify passed',
);

await Promise.all(slots.map((s) => s.child.stop()));
await t.close();
await redis.stop();
process.exit(problems.length ? 1 : 0);
