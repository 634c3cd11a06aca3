import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '../definitions/compile.js';
import { EngineRun, MAX_COMMANDS_PER_ENGINE, RunawayError } from './engine-run.js';
import { moveTimerInState } from './working-day-timers.js';

async function compiled(file: string, processKey: string) {
  const xml = await readFile(new URL(`../../tests/fixtures/bpmn/${file}`, import.meta.url), 'utf8');
  return compileDefinition({
    id: 'd1',
    department_id: 'dep',
    process_key: processKey,
    version: 1,
    name: processKey,
    xml,
  });
}

const noServices = async () => undefined;
const calendarDays = (n: number) => ({
  dueAt: new Date(Date.now() + n * 86_400_000),
  basisDate: new Date().toISOString().slice(0, 10),
  provisional: false,
});

describe('EngineRun', () => {
  it('stops a loop without a wait state at the step budget instead of hanging or overflowing the stack', async () => {
    // Deploy refuses this definition; the budget is the second line of defence, tested on the raw engine.
    const def = await compiled('runaway.bpmn', 'runaway');
    const run = new EngineRun(
      def,
      { loop: true },
      { stepBudget: 200, invokeService: noServices, dueAfterWorkingDays: calendarDays },
    );
    await run.start();
    const [task] = run.openUserTasks();
    // CPU time, not wall time: a loaded machine slows the clock on the wall, not the work the budget bounds.
    const t0 = process.cpuUsage();
    await expect(run.act(() => task.signal({ loop: true }))).rejects.toBeInstanceOf(RunawayError);
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });

  it('saves state without the definition and recovers it from the cached one', async () => {
    const def = await compiled('quick-timer.bpmn', 'quick_timer');
    const first = new EngineRun(
      def,
      {},
      { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: calendarDays },
    );
    await first.start();
    const state = (await first.getState()) as { definitions: { source?: unknown }[] };
    expect(state.definitions[0].source).toBeUndefined();
    expect(
      first
        .pendingTimers()
        .map((t) => t.elementId)
        .sort(),
    ).toEqual(['Timer_deadline', 'Timer_reminder']);

    const second = new EngineRun(
      def,
      {},
      { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: calendarDays },
    );
    await second.recover(state);
    expect(second.openUserTasks().map((t) => t.elementId)).toEqual(['Task_review']);
    // The same timers, waiting with the same execution ids: nothing fired or duplicated by recovery.
    expect(
      second
        .pendingTimers()
        .map((t) => t.executionId)
        .sort(),
    ).toEqual(
      first
        .pendingTimers()
        .map((t) => t.executionId)
        .sort(),
    );
    const reminder = second.pendingTimers().find((t) => t.elementId === 'Timer_reminder')!;
    await second.act(() => reminder.fire());
    expect(
      second
        .openUserTasks()
        .map((t) => t.elementId)
        .sort(),
    ).toEqual(['Task_reminded', 'Task_review']);
  });

  it('fires a timer whose due time passed while the instance was saved, during recovery', async () => {
    const def = await compiled('quick-timer.bpmn', 'quick_timer');
    const first = new EngineRun(
      def,
      {},
      { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: calendarDays },
    );
    await first.start();
    const state = JSON.parse(
      JSON.stringify(await first.getState()).replaceAll(/"expireAt":"[^"]+"/g, '"expireAt":"2000-01-01T00:00:00.000Z"'),
    );
    const second = new EngineRun(
      def,
      {},
      { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: calendarDays },
    );
    await second.recover(state);
    expect(second.pendingTimers()).toEqual([]);
    expect(
      second
        .openUserTasks()
        .map((t) => t.elementId)
        .sort(),
    ).toEqual(['Task_escalated', 'Task_reminded']);
  });
});

describe('a boundary timer in working days (P3WD)', () => {
  it('is due at the time the calendar gives for the third working day', async () => {
    const def = await compiled('working-day-timer.bpmn', 'wd_timer');
    const due = new Date(Date.now() + 5 * 86_400_000);
    const run = new EngineRun(
      def,
      {},
      {
        stepBudget: 100,
        invokeService: noServices,
        dueAfterWorkingDays: () => ({ dueAt: due, basisDate: '2026-11-02', provisional: true }),
      },
    );
    await run.start();
    const [timer] = run.pendingTimers();
    expect(timer.elementId).toBe('Timer_complete');
    expect(Math.abs(timer.expireAt.getTime() - due.getTime())).toBeLessThan(2000);
    expect(timer.workingDays).toEqual({ days: 3, basisDate: '2026-11-02', provisional: true });
  });
});

describe('a timer on the command clock', () => {
  const start = new Date('2030-03-01T02:00:00Z');
  const due = new Date('2030-03-06T15:59:59Z');
  const later = new Date('2030-03-12T15:59:59Z');
  const at = (now: Date) => ({
    stepBudget: 100,
    invokeService: noServices,
    now: () => now,
    dueAfterWorkingDays: () => ({ dueAt: due, basisDate: '2030-03-01', provisional: true }),
  });

  it('expires by that clock: recovered after its expiry it fires, unless the expiry was moved in the state', async () => {
    const def = await compiled('working-day-timer.bpmn', 'wd_timer');
    const first = new EngineRun(def, {}, at(start));
    await first.start();
    const [timer] = first.pendingTimers();
    expect(timer.expireAt).toEqual(due);
    const saved = JSON.stringify(await first.getState());

    // Before its expiry by the command's clock (whatever the wall clock says) it keeps waiting.
    const early = new EngineRun(def, {}, at(new Date(due.getTime() - 60_000)));
    await early.recover(JSON.parse(saved));
    expect(early.pendingTimers().map((t) => t.expireAt)).toEqual([due]);

    const afterDue = new Date('2030-03-07T00:00:00Z');
    const fired = new EngineRun(def, {}, at(afterDue));
    await fired.recover(JSON.parse(saved));
    expect(fired.pendingTimers()).toEqual([]);
    expect(fired.firedTimers.has(timer.executionId)).toBe(true);

    const moved = JSON.parse(saved);
    expect(moveTimerInState(moved, timer.executionId, later)).toBe(1);
    const waiting = new EngineRun(def, {}, at(afterDue));
    await waiting.recover(moved);
    // Not the earlier "now + original duration" either: the moved expiry stands.
    expect(waiting.pendingTimers().map((t) => t.expireAt)).toEqual([later]);
    expect(waiting.openUserTasks().map((t) => t.elementId)).toEqual(['Task_complete']);
  });

  it('is ready for the next command only while it waits cleanly and no timer it holds has fallen due', async () => {
    const def = await compiled('quick-timer.bpmn', 'quick_timer');
    let now = new Date('2026-03-02T01:00:00Z');
    const opts = { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: calendarDays, now: () => now };
    const fresh = new EngineRun(def, {}, opts);
    expect(fresh.rebind({}, opts)).toBe(false); // never started nor recovered: nothing to reuse
    await fresh.start();
    expect(fresh.rebind({ a: 1 }, opts)).toBe(true);
    expect(fresh.variables).toEqual({ a: 1 });
    // The reminder (PT1S) is due: recovery would fire it while resuming, so the warm engine must not stand in.
    now = new Date(now.getTime() + 1000);
    expect(fresh.rebind({}, opts)).toBe(false);

    // A command whose engine threw part-way (here the step budget) leaves an engine that is never reused.
    const def2 = await compiled('runaway.bpmn', 'runaway');
    const runaway = new EngineRun(def2, { loop: true }, { ...opts, stepBudget: 50 });
    await runaway.start();
    const [task] = runaway.openUserTasks();
    await expect(runaway.act(() => task.signal({ loop: true }))).rejects.toBeInstanceOf(RunawayError);
    expect(runaway.reusable).toBe(false);
    expect(runaway.rebind({ loop: true }, opts)).toBe(false);
  });

  it('is let go after MAX_COMMANDS_PER_ENGINE commands, so that what a long-lived engine gathers stays bounded', async () => {
    const def = await compiled('simple-approval.bpmn', 'simple_approval');
    const opts = { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: calendarDays };
    const run = new EngineRun(def, {}, opts);
    await run.start(); // command 1
    for (let command = 2; command <= MAX_COMMANDS_PER_ENGINE; command++) expect(run.rebind({}, opts)).toBe(true);
    expect(run.reusable).toBe(false);
    expect(run.rebind({}, opts)).toBe(false);
  });
});
