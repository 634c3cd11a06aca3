/**
 * Warm engines behave exactly like recovered ones (issue 17, item 2). A seeded random walk drives the same commands
 * on two instances of one process: one through a runtime without warm engines (every command recovers from the
 * row), the other through two "processes" with a warm-engine cache each (a second server writing the same
 * instance, and crashes that forget one cache). After every command the outcomes, the saved states, the task rows
 * and the timer rows of the two instances must be the same. Execution ids are random per instance, so they are
 * compared by order of first appearance; the wall clock is the model's (faked Date), so timestamps the engine
 * takes from it agree too.
 *
 * Reproduce a failure with WARM_MODEL_SEED=<seed printed in the failure>.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RuntimeContext } from '../server/engine/context.js';
import { EngineRun } from '../server/engine/engine-run.js';
import { EngineError } from '../server/engine/errors.js';
import {
  completeTask,
  fireTimer,
  registerEngineTimerKinds,
  retryInstance,
  startInstance,
  type TaskActor,
} from '../server/engine/instances.js';
import { TimerKindRegistry } from '../server/engine/registry.js';
import { WarmEngines } from '../server/engine/warm-engines.js';
import { DomainError } from '../server/infra/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { deploy, fixture } from './helpers/flows.js';

const STEPS = Number(process.env.WARM_MODEL_STEPS ?? 90);
const SEED = Number(process.env.WARM_MODEL_SEED ?? 1717);

let t: TestApp;
let actor: TaskActor;

/** mulberry32: small, seeded, good enough to pick commands. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** A runtime as one server process has it: the shared database and registries, its own timers and warm engines. */
function processRuntime(warm: WarmEngines | undefined): RuntimeContext {
  const ctx: RuntimeContext = {
    ...t.app.runtime,
    warm,
    timerKinds: new TimerKindRegistry(),
    clock: { now: () => new Date() },
  };
  registerEngineTimerKinds(ctx);
  return ctx;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-02T01:00:00Z'));
  t = await createTestApp();
  const d = await t.newDepartment();
  const officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  actor = { id: officer.id, departmentId: d.id, roles: ['officer'] };
  // Refuses (a 4xx, nothing saved) or fails (instance failed) by the submitted note; otherwise adds variables.
  t.app.runtime.services.add('warm_check', async ({ variables }) => {
    if (variables.note === 'refuse') throw new EngineError('invalid', 'WARM_REFUSED', '检查不通过');
    if (variables.note === 'fail') throw new Error('检查服务不可用');
    return { checked: Number(variables.n ?? 0) * 2, rounds: Number(variables.rounds ?? 0) + 1 };
  });
  await deploy(t, legal, await fixture('warm-model.bpmn'));
});
afterAll(async () => {
  await t?.close();
  vi.useRealTimers();
});

/** Execution ids (`<element>_<random hex>`) renamed by order of first appearance, per instance, across steps. */
class IdNames {
  private readonly names = new Map<string, string>();
  name(text: string): string {
    // Execution ids end in `_<hex>`, broker message ids in `-<hex>`.
    return text.replace(/([_-])([0-9a-f]{5,10})(?![0-9A-Za-z])/g, (_m, sep: string, hex: string) => {
      let n = this.names.get(hex);
      if (!n) {
        n = `#${this.names.size}`;
        this.names.set(hex, n);
      }
      return `${sep}${n}`;
    });
  }
}

/**
 * A saved state as the next command would find it if it recovered: recovered into a fresh engine (on a clock at
 * the epoch, so that no timer fires) and saved again. Recovering writes into a state: each waiting activity gets
 * resume messages in its queues, and re-published messages get new broker ids and timestamps and are marked
 * redelivered / recovered. An engine kept warm has not been recovered, so its own save lacks these, and the cold
 * path's has them from the recovery it started with; what both are to every later command is their recovered
 * form, and that must be the same. (Whether the warm engine itself then acts alike is the next step's check.)
 */
async function asRecovered(definitionId: string, state: unknown): Promise<unknown> {
  const compiled = await t.app.runtime.cache.get(t.db, definitionId);
  const run = new EngineRun(
    compiled,
    {},
    {
      stepBudget: 1000,
      invokeService: async () => undefined,
      dueAfterWorkingDays: () => {
        throw new Error('a recovery counts no working days');
      },
      now: () => new Date(0),
    },
  );
  await run.recover(structuredClone(state));
  return run.getState();
}
const RECOVERY_MARKS = new Set(['messageId', 'timestamp', 'isRecovered', 'redelivered']);
// An activity that was once recovered keeps `stopped: false` after it completes; one never recovered has no such
// key. Both read as not stopped.
const withoutRecoveryMarks = (key: string, value: unknown) =>
  RECOVERY_MARKS.has(key) || (key === 'stopped' && value === false) ? undefined : value;

async function snapshot(instanceId: string, ids: IdNames) {
  const row = await t.db
    .selectFrom('process_instances')
    .select(['state', 'variables', 'status', 'version', 'error', 'definition_id'])
    .where('id', '=', instanceId)
    .executeTakeFirstOrThrow();
  const recovered = row.state ? await asRecovered(row.definition_id, row.state) : null;
  const state = JSON.parse(ids.name(JSON.stringify(recovered, withoutRecoveryMarks)));
  const tasks = await t.db
    .selectFrom('tasks')
    .select(['id', 'element_id', 'execution_id', 'status', 'assignee_id', 'due_at', 'role'])
    .where('instance_id', '=', instanceId)
    .execute();
  // A task's deadline and reminder timers are named after the task's row id: name them after its execution.
  const taskNames = new Map(tasks.map((x) => [x.id, ids.name(x.execution_id)]));
  const timers = await t.db
    .selectFrom('timers')
    .select(['element_id', 'execution_id', 'status', 'due_at', 'kind', 'timer_type'])
    .where('instance_id', '=', instanceId)
    .execute();
  const named = (executionId: string | null) =>
    executionId && ids.name(executionId.replace(UUIDS, (id) => taskNames.get(id) ?? id));
  const rows = <T extends { execution_id: string | null }>(list: T[]) =>
    list
      .map(({ id: _id, ...r }: T & { id?: string }) => JSON.stringify({ ...r, execution_id: named(r.execution_id) }))
      .sort();
  return {
    status: row.status,
    version: row.version,
    variables: row.variables,
    error: (row.error as { code?: string } | null)?.code ?? null,
    state,
    tasks: rows(tasks),
    timers: rows(timers),
  };
}

/** Open tasks and due timers in an order both instances agree on (by renamed execution id). */
async function openTasks(instanceId: string, ids: IdNames) {
  const tasks = await t.db
    .selectFrom('tasks')
    .select(['id', 'execution_id', 'element_id'])
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .execute();
  return tasks.map((x) => ({ ...x, key: `${x.element_id}${ids.name(x.execution_id)}` })).sort(byKey);
}
async function pendingTimers(instanceId: string, ids: IdNames) {
  const timers = await t.db
    .selectFrom('timers')
    .select(['id', 'execution_id', 'element_id', 'due_at'])
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'pending')
    .execute();
  return timers
    .map((x) => ({
      ...x,
      key: `${x.due_at.toISOString()}${x.element_id}${ids.name(withoutUuid(x.execution_id ?? ''))}`,
    }))
    .sort(byKey);
}
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A task timer's execution id names its task's row id (a random UUID per instance). */
const withoutUuid = (id: string) => id.replace(UUIDS, 'task');
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    const r = await fn();
    return typeof r === 'object' && r && 'kind' in r ? `timer:${(r as { kind: string }).kind}` : 'ok';
  } catch (err) {
    if (err instanceof DomainError) return `${err.kind}:${err.code}`;
    throw err;
  }
}

interface Pair {
  cold: string;
  warm: string;
  coldIds: IdNames;
  warmIds: IdNames;
}

describe('warm engines', () => {
  it('leave the same states, tasks and timers as recovering every command', async () => {
    const random = prng(SEED);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const cold = processRuntime(undefined);
    const warmA = new WarmEngines(50, 64 * 1024 * 1024);
    const warmB = new WarmEngines(50, 64 * 1024 * 1024);
    const procA = processRuntime(warmA);
    const procB = processRuntime(warmB);
    const pairs: Pair[] = [];
    const seen = { start: 0, complete: 0, stale: 0, timer: 0, early: 0, crash: 0, retry: 0, dueWhileWarm: 0 };
    const log: string[] = [];
    let now = Date.now();

    for (let step = 0; step < STEPS; step++) {
      const r = random();
      now += r < 0.4 ? 0 : r < 0.75 ? Math.floor(random() * 30_000) : Math.floor(random() * 200_000);
      vi.setSystemTime(new Date(now));
      const proc = random() < 0.8 ? procA : procB;
      const live = [];
      for (const p of pairs) {
        const s = await t.db
          .selectFrom('process_instances')
          .select('status')
          .where('id', '=', p.cold)
          .executeTakeFirstOrThrow();
        if (s.status !== 'completed') live.push({ ...p, status: s.status });
      }
      const a = random();
      let what: string;
      let coldOut: string;
      let warmOut: string;
      let pair: Pair;
      if (live.length === 0 || (a < 0.08 && live.length < 6)) {
        seen.start++;
        what = 'start';
        let coldId = '';
        let warmId = '';
        const input = { departmentId: actor.departmentId, processKey: 'warm_model', variables: { origin: step } };
        coldOut = await outcome(async () => {
          coldId = (await startInstance(cold, actor, input)).instanceId;
        });
        warmOut = await outcome(async () => {
          warmId = (await startInstance(proc, actor, input)).instanceId;
        });
        pair = { cold: coldId, warm: warmId, coldIds: new IdNames(), warmIds: new IdNames() };
        pairs.push(pair);
      } else if (a < 0.12) {
        seen.crash++;
        what = 'crash';
        warmA.clear();
        log.push(`${step} crash`);
        continue;
      } else {
        const chosen = pick(live);
        pair = chosen;
        if (chosen.status === 'failed') {
          seen.retry++;
          what = 'retry';
          coldOut = await outcome(() => retryInstance(cold, actor.id, chosen.cold));
          warmOut = await outcome(() => retryInstance(proc, actor.id, chosen.warm));
        } else {
          const coldTimers = await pendingTimers(chosen.cold, chosen.coldIds);
          const warmTimers = await pendingTimers(chosen.warm, chosen.warmIds);
          expect(warmTimers.map((x) => x.key)).toEqual(coldTimers.map((x) => x.key));
          if (a < 0.3 && coldTimers.length) {
            // A timer job: sometimes a little before its due time (within the 1 s tolerance, or early), as a
            // worker's clock may run; otherwise at or after it.
            const i = Math.floor(random() * coldTimers.length);
            const due = coldTimers[i].due_at.getTime();
            const when = random();
            if (when < 0.3) now = Math.max(now, due - (when < 0.15 ? 500 : 5000));
            else now = Math.max(now, due);
            vi.setSystemTime(new Date(now));
            seen.timer++;
            what = `timer ${coldTimers[i].element_id}`;
            coldOut = await outcome(() => fireTimer(cold, coldTimers[i].id));
            warmOut = await outcome(() => fireTimer(proc, warmTimers[i].id));
            if (coldOut === 'timer:early') seen.early++;
          } else {
            const coldTasks = await openTasks(chosen.cold, chosen.coldIds);
            const warmTasks = await openTasks(chosen.warm, chosen.warmIds);
            expect(warmTasks.map((x) => x.key)).toEqual(coldTasks.map((x) => x.key));
            if (!coldTasks.length) continue;
            const i = Math.floor(random() * coldTasks.length);
            const payload = randomPayload(random, coldTasks[i].element_id);
            const warmRow = await t.db
              .selectFrom('process_instances')
              .select('version')
              .where('id', '=', chosen.warm)
              .executeTakeFirstOrThrow();
            if (
              proc.warm?.peek(chosen.warm) === warmRow.version &&
              warmTimers.some((x) => x.due_at.getTime() <= now && x.element_id.startsWith('Timer_'))
            ) {
              seen.dueWhileWarm++;
            }
            seen.complete++;
            what = `complete ${coldTasks[i].element_id} ${JSON.stringify(payload)}`;
            coldOut = await outcome(() => completeTask(cold, actor, coldTasks[i].id, payload));
            warmOut = await outcome(() => completeTask(proc, actor, warmTasks[i].id, payload));
            if (random() < 0.1) {
              // The same task again: refused as already completed (or as invalid), on both paths alike.
              seen.stale++;
              coldOut += ` / ${await outcome(() => completeTask(cold, actor, coldTasks[i].id, payload))}`;
              warmOut += ` / ${await outcome(() => completeTask(proc, actor, warmTasks[i].id, payload))}`;
            }
          }
        }
      }
      log.push(`${step} ${what} on ${proc === procA ? 'A' : 'B'}: ${coldOut}`);
      const context = `seed ${SEED}, step ${step}:\n${log.slice(-8).join('\n')}`;
      expect(warmOut, context).toBe(coldOut);
      expect(await snapshot(pair.warm, pair.warmIds), context).toEqual(await snapshot(pair.cold, pair.coldIds));
    }
    // The walk did reach what it is for: warm engines used, a timer due while its engine was warm, crashes,
    // refusals and retries.
    if (process.env.WARM_MODEL_SEED) return; // another seed's walk may miss one of these
    expect(warmA.hits + warmB.hits).toBeGreaterThan(STEPS / 6);
    expect(seen.dueWhileWarm).toBeGreaterThan(0);
    expect(seen.crash).toBeGreaterThan(0);
    expect(seen.stale).toBeGreaterThan(0);
    expect(log.some((l) => l.includes('WARM_REFUSED'))).toBe(true);
    expect(log.some((l) => l.includes('PROCESS_FAILED'))).toBe(true);
  }, 120_000);
});

function randomPayload(random: () => number, elementId: string): Record<string, unknown> {
  const r = random();
  // n picks the route: 0 ends, 1 loops, 2 waits on a timer, 3+ forks; a missing n is refused by the form.
  const n = r < 0.05 ? undefined : r < 0.15 ? 0 : r < 0.45 ? 1 : r < 0.7 ? 2 : 3 + Math.floor(random() * 3);
  const s = random();
  const note = s < 0.08 ? 'refuse' : s < 0.11 ? 'fail' : s < 0.5 ? undefined : `说明${Math.floor(random() * 1000)}`;
  const stray = random() < 0.04 ? { stray: true } : {}; // not a field of any form: refused
  switch (elementId) {
    case 'Task_a':
      return { ...(n === undefined ? {} : { n }), ...(note === undefined ? {} : { note }), ...stray };
    case 'Task_escalated':
      return { ...(n === undefined ? {} : { n }), ...stray };
    case 'Task_b':
      return { ...(note === undefined ? {} : { b: note }), ...stray };
    default:
      return stray;
  }
}
