/** The step loops of bench/engine-steps.ts: closed (clients wait for answers) and open (a fixed arrival rate). */
import type { MarkingWindow, TimedRequest } from './gc-windows.js';
import type { Meters, Snapshot } from './step-meters.js';
import { addLockWaits, type LockWaits, perStep, sampleLockWaits } from './step-meters.js';

export interface Target {
  call: (method: 'GET' | 'POST', path: string, body?: unknown, n?: number) => Promise<Record<string, unknown>>;
  meters: Meters;
  /** With --gc-trace: the server's full collections' marking windows, known once `stop` has let it exit. */
  markingWindows?: () => MarkingWindow[];
  stop: () => Promise<void>;
}

export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Step = { openTasks: { id: string }[] };

/** A new instance, stepped once outside any measurement; returns its open task. */
async function newInstance(t: Target, n: number): Promise<string> {
  const started = (await t.call('POST', '/api/instances', { processKey: 'bench_loop', variables: {} }, n)) as Step;
  const r = (await t.call('POST', `/api/tasks/${started.openTasks[0].id}/complete`, { again: true }, n)) as Step;
  return r.openTasks[0].id;
}

/**
 * Closed loop: each client completes its instance's task as soon as the last completion was answered. The loop
 * runs in `slices` windows of equal length; between windows (with every step begun answered, the servers idle)
 * `between` runs, e.g. a slice of the in-memory baseline, so that both figures see the same machine: on a machine
 * whose speed drifts, a baseline measured only before and after is a different machine from the one measured.
 * Latency, throughput and costs count the windows only.
 */
export async function closedLoop(
  t: Target,
  seconds: number,
  clients: number,
  opts: { slices?: number; between?: () => Promise<void> } = {},
) {
  const slices = Math.max(1, opts.slices ?? 1);
  const tasks = await Promise.all(Array.from({ length: clients }, (_, n) => newInstance(t, n)));
  const latencies: number[] = [];
  const windows: [Snapshot, Snapshot][] = [];
  const lockWaits: LockWaits[] = [];
  const { adminUrl, databaseName } = t.meters;
  let steps = 0;
  let measured = 0;
  let elapsed = 0;
  for (let slice = 0; slice < slices; slice++) {
    if (opts.between) await opts.between();
    let running = true;
    const before = await t.meters.snapshot();
    const locks = adminUrl && databaseName ? sampleLockWaits(adminUrl, databaseName) : null;
    const stepsBefore = steps;
    const t0 = performance.now();
    const all = tasks.map(async (_, n) => {
      while (running) {
        const s = performance.now();
        const r = (await t.call('POST', `/api/tasks/${tasks[n]}/complete`, { again: true }, n)) as Step;
        latencies.push(performance.now() - s);
        steps++;
        tasks[n] = r.openTasks[0].id;
      }
    });
    await sleep((seconds * 1000) / slices);
    elapsed += (performance.now() - t0) / 1000;
    measured += steps - stepsBefore;
    if (locks) lockWaits.push(await locks());
    running = false;
    await Promise.all(all);
    // Costs are read once every step begun has been answered: what ran between the two snapshots is exactly the
    // work of the steps counted (read while clients still ran, the requests in flight at the end would be counted
    // without their steps, about 0.1 statement per step too many at 50 clients).
    windows.push([before, await t.meters.snapshot()]);
  }
  if (opts.between) await opts.between();
  latencies.sort((a, b) => a - b);
  return {
    lockWaits: lockWaits.length ? addLockWaits(lockWaits) : null,
    stepsPerSecond: measured / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cost: perStep(windows, steps),
  };
}

/**
 * Open loop: step requests arrive at `rate` per second on a schedule that does not wait for answers; latency is
 * counted from the scheduled arrival (a request that had to wait for a free instance counts its wait). Each
 * instance has at most one step in flight, so there are many more instances than in-flight requests.
 */
export async function openLoop(t: Target, rate: number, seconds: number) {
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
  const requests: TimedRequest[] = [];
  const total = Math.round(rate * seconds);
  const t0 = performance.now() + 50;
  let sent = 0;
  const inflight: Promise<void>[] = [];
  const one = async (scheduled: number) => {
    while (idle.length === 0) await new Promise<void>((r) => waiting.push(r));
    const inst = idle.pop()!;
    const r = (await t.call('POST', `/api/tasks/${inst.taskId}/complete`, { again: true }, inst.n)) as Step;
    requests.push({ start: performance.timeOrigin + scheduled, ms: performance.now() - scheduled });
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
  const latencies = requests.map((r) => r.ms).sort((a, b) => a - b);
  return { achieved: total / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests };
}
