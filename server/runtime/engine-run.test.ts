import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '../definitions/compile.js';
import { EngineRun, RunawayError } from './engine-run.js';

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
const calendarDays = (n: number) => new Date(Date.now() + n * 86_400_000);

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
    const t0 = performance.now();
    await expect(run.act(() => task.signal({ loop: true }))).rejects.toBeInstanceOf(RunawayError);
    expect(performance.now() - t0).toBeLessThan(2000);
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
    const run = new EngineRun(def, {}, { stepBudget: 100, invokeService: noServices, dueAfterWorkingDays: () => due });
    await run.start();
    const [timer] = run.pendingTimers();
    expect(timer.elementId).toBe('Timer_complete');
    expect(Math.abs(timer.expireAt.getTime() - due.getTime())).toBeLessThan(2000);
  });
});
