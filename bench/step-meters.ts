/**
 * What a step costs, read around a measured window: CPU of the server processes (/proc), of the PostgreSQL
 * backends serving the bench database (pg_stat_activity pids, /proc), of Redis (INFO cpu; Redis may be shared
 * with other work on the machine), and the SQL statements and Redis commands the servers sent (counted inside
 * each server by bench/count-calls.mjs).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds of a process, all its threads; with `mainThread`, of its main thread alone. */
export function cpuMsOf(pid: number, mainThread = false): number {
  try {
    const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
  } catch {
    return 0;
  }
}

/**
 * A thread's scheduler times (/proc/PID/task/TID/schedstat, nanoseconds since it started), in milliseconds: on a
 * core, and runnable but waiting for one. Zeros where the kernel does not keep them.
 */
export function schedMsOf(pid: number): { running: number; waiting: number } {
  try {
    const [running, waiting] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { running: running / 1e6, waiting: waiting / 1e6 };
  } catch {
    return { running: 0, waiting: 0 };
  }
}

/** Scheduler times of several threads added up, with when they were read. */
function sumSched(times: { running: number; waiting: number }[]): Snapshot['serverMainSched'] {
  const total = { running: 0, waiting: 0, at: performance.now() };
  for (const t of times) {
    total.running += t.running;
    total.waiting += t.waiting;
  }
  return total;
}

/** The machine's CPU time since boot, all cores added up (/proc/stat): busy (all but idle and iowait) and total. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - ticks[3] - ticks[4]) * TICK_MS, total: total * TICK_MS };
}

/** CPU milliseconds of this process (the load generator), all threads. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface Counts {
  begin: number;
  commit: number;
  rollback: number;
  sql: number;
  trips: number;
  redis: number;
  byStatement: Record<string, number>;
  byRedis: Record<string, number>;
  seq: number;
}

async function readCounts(child: ChildProcess, file: string): Promise<Counts | null> {
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Counts).seq : 0;
  child.kill('SIGUSR2');
  for (let i = 0; i < 1000; i++) {
    await new Promise((r) => setTimeout(r, 20));
    if (!existsSync(file)) continue;
    try {
      const c = JSON.parse(readFileSync(file, 'utf8')) as Counts;
      if (c.seq > before) return c;
    } catch {
      // being written
    }
  }
  return null;
}

export interface Snapshot {
  serverCpu: number;
  /** The servers' main threads (JavaScript runs there): a server can do no more steps per second than 1000 / this. */
  serverMainCpu: number;
  /** The servers' main threads' scheduler times (`schedMsOf`), added up, and when they were read (ms). */
  serverMainSched: { running: number; waiting: number; at: number };
  /** This process's CPU: the load generator's (the in-memory loop's workers are idle while steps are measured). */
  clientCpu: number;
  machine: { busy: number; total: number };
  /** Timer rows ever created and ever closed (fired or cancelled), on PostgreSQL: what changed timers. */
  timers: { created: number; ended: number } | null;
  pgCpu: Map<number, number>;
  redisCpu: number;
  counts: (Counts | null)[];
}

export class Meters {
  private readonly redis: Redis;
  constructor(
    private readonly servers: { child: ChildProcess; countFile: string }[],
    readonly adminUrl: string | null,
    readonly databaseName: string | null,
    redisUrl: string,
  ) {
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async snapshot(): Promise<Snapshot> {
    const pgCpu = new Map<number, number>();
    let timers: Snapshot['timers'] = null;
    if (this.adminUrl && this.databaseName) {
      const c = new pg.Client({ connectionString: this.adminUrl });
      await c.connect();
      const { rows } = await c.query('select pid from pg_stat_activity where datname = $1', [this.databaseName]);
      await c.end();
      for (const r of rows as { pid: number }[]) pgCpu.set(r.pid, cpuMsOf(r.pid));
      const url = new URL(this.adminUrl);
      url.pathname = `/${this.databaseName}`;
      const d = new pg.Client({ connectionString: url.toString() });
      await d.connect();
      const t = await d.query(
        'select count(*)::int as created, (count(*) filter (where ended_at is not null))::int as ended from timers',
      );
      await d.end();
      timers = t.rows[0] as { created: number; ended: number };
    }
    const info = await this.redis.info('cpu').catch(() => '');
    const num = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    const counts = await Promise.all(this.servers.map((s) => readCounts(s.child, s.countFile)));
    return {
      timers,
      clientCpu: ownCpuMs(),
      machine: machineCpuMs(),
      serverCpu: this.servers.reduce((sum, s) => sum + cpuMsOf(s.child.pid ?? 0), 0),
      serverMainCpu: this.servers.reduce((sum, s) => sum + cpuMsOf(s.child.pid ?? 0, true), 0),
      serverMainSched: sumSched(this.servers.map((s) => schedMsOf(s.child.pid ?? 0))),
      pgCpu,
      redisCpu: (num('used_cpu_sys') + num('used_cpu_user')) * 1000,
      counts,
    };
  }

  close() {
    this.redis.disconnect();
    for (const s of this.servers) if (existsSync(s.countFile)) unlinkSync(s.countFile);
  }
}

/** What ran between two snapshots: CPU, timer rows, statements and Redis commands, as counters. */
interface Delta {
  serverCpu: number;
  serverMainCpu: number;
  /** Main threads' time on a core, waiting for one, and the window's wall time times the number of servers (ms). */
  mainRunning: number;
  mainWaiting: number;
  mainWall: number;
  clientCpu: number;
  machineBusy: number;
  machineTotal: number;
  pgCpu: number;
  redisCpu: number;
  timers: { created: number; ended: number } | null;
  sql: number;
  begin: number;
  trips: number;
  redis: number;
  byStatement: Record<string, number>;
  byRedis: Record<string, number>;
}

function delta(a: Snapshot, b: Snapshot): Delta {
  let pgCpu = 0;
  for (const [pid, ms] of b.pgCpu) pgCpu += ms - (a.pgCpu.get(pid) ?? 0);
  const sum = (s: Snapshot, k: 'sql' | 'redis' | 'begin' | 'trips') => s.counts.reduce((n, c) => n + (c?.[k] ?? 0), 0);
  const byStatement: Record<string, number> = {};
  const byRedis: Record<string, number> = {};
  b.counts.forEach((c, i) => {
    for (const [k, v] of Object.entries(c?.byStatement ?? {})) {
      byStatement[k] = (byStatement[k] ?? 0) + v - (a.counts[i]?.byStatement[k] ?? 0);
    }
    for (const [k, v] of Object.entries(c?.byRedis ?? {})) {
      byRedis[k] = (byRedis[k] ?? 0) + v - (a.counts[i]?.byRedis[k] ?? 0);
    }
  });
  return {
    serverCpu: b.serverCpu - a.serverCpu,
    serverMainCpu: b.serverMainCpu - a.serverMainCpu,
    mainRunning: b.serverMainSched.running - a.serverMainSched.running,
    mainWaiting: b.serverMainSched.waiting - a.serverMainSched.waiting,
    mainWall: (b.serverMainSched.at - a.serverMainSched.at) * b.counts.length,
    clientCpu: b.clientCpu - a.clientCpu,
    machineBusy: b.machine.busy - a.machine.busy,
    machineTotal: b.machine.total - a.machine.total,
    pgCpu,
    redisCpu: b.redisCpu - a.redisCpu,
    timers:
      a.timers && b.timers
        ? { created: b.timers.created - a.timers.created, ended: b.timers.ended - a.timers.ended }
        : null,
    sql: sum(b, 'sql') - sum(a, 'sql'),
    begin: sum(b, 'begin') - sum(a, 'begin'),
    trips: sum(b, 'trips') - sum(a, 'trips'),
    redis: sum(b, 'redis') - sum(a, 'redis'),
    byStatement,
    byRedis,
  };
}

function addDelta(x: Delta, y: Delta): Delta {
  const merge = (p: Record<string, number>, q: Record<string, number>) => {
    const out = { ...p };
    for (const [k, v] of Object.entries(q)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    serverCpu: x.serverCpu + y.serverCpu,
    serverMainCpu: x.serverMainCpu + y.serverMainCpu,
    mainRunning: x.mainRunning + y.mainRunning,
    mainWaiting: x.mainWaiting + y.mainWaiting,
    mainWall: x.mainWall + y.mainWall,
    clientCpu: x.clientCpu + y.clientCpu,
    machineBusy: x.machineBusy + y.machineBusy,
    machineTotal: x.machineTotal + y.machineTotal,
    pgCpu: x.pgCpu + y.pgCpu,
    redisCpu: x.redisCpu + y.redisCpu,
    timers:
      x.timers && y.timers
        ? { created: x.timers.created + y.timers.created, ended: x.timers.ended + y.timers.ended }
        : null,
    sql: x.sql + y.sql,
    begin: x.begin + y.begin,
    trips: x.trips + y.trips,
    redis: x.redis + y.redis,
    byStatement: merge(x.byStatement, y.byStatement),
    byRedis: merge(x.byRedis, y.byRedis),
  };
}

/** Cost per step of the work done inside the given windows (pairs of snapshots), `steps` steps in all. */
export function perStep(windows: [Snapshot, Snapshot][], steps: number) {
  const d = windows.map(([a, b]) => delta(a, b)).reduce(addDelta);
  return {
    timerChanges: d.timers ? { scheduled: d.timers.created / steps, closed: d.timers.ended / steps } : null,
    serverCpuMs: d.serverCpu / steps,
    serverMainCpuMs: d.serverMainCpu / steps,
    /**
     * Shares of the windows' wall time the servers' main threads spent on a core and runnable but waiting for one
     * (the rest they slept: nothing to do until a reply came); null where the kernel keeps no schedstat.
     */
    mainThread: d.mainRunning > 0 ? { running: d.mainRunning / d.mainWall, waiting: d.mainWaiting / d.mainWall } : null,
    clientCpuMs: d.clientCpu / steps,
    /** All the machine's busy CPU time per step: the processes above, the kernel's work for them, anything else. */
    machineCpuMs: d.machineBusy / steps,
    /** How busy the machine's cores were while the steps ran (1 = every core all the time). */
    machineBusyShare: d.machineTotal ? d.machineBusy / d.machineTotal : 0,
    cores: availableParallelism(),
    pgCpuMs: d.pgCpu / steps,
    redisCpuMs: d.redisCpu / steps,
    statements: d.sql / steps,
    transactions: d.begin / steps,
    /** Requests to the database (a BEGIN sent with its first statement is not one of its own). */
    roundTrips: d.trips / steps,
    redisCalls: d.redis / steps,
    statementBreakdown: Object.entries(d.byStatement)
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${(v / steps).toFixed(2)}  ${k}`),
    redisBreakdown: Object.entries(d.byRedis)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${(v / steps).toFixed(2)}`),
  };
}

export interface LockWaits {
  samples: number;
  /** Samples in which at least one backend of the bench database waited on a lock. */
  waitingSamples: number;
  /** Waiting backends seen, by lock kind and the waiting statement (its first words). */
  byStatement: [string, number][];
}

/**
 * Samples pg_stat_activity every `everyMs` while steps run: which backends of the bench database wait on a lock
 * (wait_event_type 'Lock'), on what kind of lock, running which statement. With several servers this shows whether
 * they contend on anything but the instance a step changes (its row, locked FOR UPDATE).
 */
export function sampleLockWaits(adminUrl: string, databaseName: string, everyMs = 50) {
  // Connected to the bench's database itself, where a waiting lock's relation id names a table.
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const counts = new Map<string, number>();
  let samples = 0;
  let waitingSamples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query(
        `select a.wait_event, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 90) as q,
            (select l.relation::regclass::text from pg_locks l where l.pid = a.pid and not l.granted limit 1) as rel
          from pg_stat_activity a where a.datname = $1 and a.wait_event_type = 'Lock'`,
        [databaseName],
      );
      samples++;
      if (rows.length) waitingSamples++;
      for (const r of rows as { wait_event: string; q: string; rel: string | null }[]) {
        // An `extend` wait is on a relation's growth, not on a row: which relation says whose inserts met.
        const k = `${r.wait_event}${r.rel ? ` (${r.rel})` : ''}: ${r.q}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    await client.end();
  })();
  return async (): Promise<LockWaits> => {
    running = false;
    await loop;
    return { samples, waitingSamples, byStatement: [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8) };
  };
}

/** Lock-wait samples of several windows, added up. */
export function addLockWaits(all: LockWaits[]): LockWaits {
  const counts = new Map<string, number>();
  for (const w of all) for (const [k, n] of w.byStatement) counts.set(k, (counts.get(k) ?? 0) + n);
  return {
    samples: all.reduce((n, w) => n + w.samples, 0),
    waitingSamples: all.reduce((n, w) => n + w.waitingSamples, 0),
    byStatement: [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8),
  };
}
