import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '../definitions/compile.js';
import { EngineRun } from './engine-run.js';

async function countersign(loop: string) {
  const template = await readFile(new URL('../../tests/fixtures/bpmn/countersign.bpmn', import.meta.url), 'utf8');
  const xml = template.replace(
    /<bpmn:multiInstanceLoopCharacteristics[\s\S]*?<\/bpmn:multiInstanceLoopCharacteristics>/,
    loop,
  );
  return compileDefinition({
    id: 'd1',
    department_id: 'dep',
    process_key: 'countersign',
    version: 1,
    name: '会签',
    xml,
  });
}

const leaders = [1, 2, 3, 4, 5].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
const opts = {
  stepBudget: 200,
  invokeService: async () => undefined,
  dueAfterWorkingDays: (n: number) => ({
    dueAt: new Date(Date.now() + n * 86_400_000),
    basisDate: '2026-12-07',
    provisional: false,
  }),
};

/** Saves the run's state and recovers it in a fresh engine, as a new command after a restart does. */
async function restart(run: EngineRun): Promise<EngineRun> {
  const state = JSON.parse(JSON.stringify(await run.getState()));
  const next = new EngineRun(run.compiled, JSON.parse(JSON.stringify(run.variables)), opts);
  await next.recover(state);
  return next;
}

const loopOf = (attrs: string, completion = '') =>
  `<bpmn:multiInstanceLoopCharacteristics ${attrs} fashen:collection="attendees" fashen:elementVariable="attendee">${
    completion
      ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${completion}</bpmn:completionCondition>`
      : ''
  }</bpmn:multiInstanceLoopCharacteristics>`;

describe('a multi-instance user task (会签)', () => {
  it('waits once per attendee, each with its own execution id, and goes on when all have answered, across restarts', async () => {
    const def = await countersign(loopOf('isSequential="false"'));
    let run = new EngineRun(def, { attendees: leaders.slice(0, 3) }, opts);
    await run.start();
    const first = run.openUserTasks();
    expect(first.map((t) => t.loopItem)).toEqual(leaders.slice(0, 3));
    expect(new Set(first.map((t) => t.executionId)).size).toBe(3);

    for (const leader of [leaders[1], leaders[0]]) {
      run = await restart(run);
      // The same iterations, with the same execution ids, after recovery.
      expect(run.openUserTasks().map((t) => t.executionId)).toEqual(
        first.filter((t) => run.openUserTasks().some((o) => o.loopItem === t.loopItem)).map((t) => t.executionId),
      );
      const task = run.openUserTasks().find((t) => t.loopItem === leader)!;
      await run.act(() => task.signal({ vote: '同意' }));
      expect(run.openUserTasks().some((t) => t.loopItem === leader)).toBe(false);
    }
    run = await restart(run);
    expect(run.openUserTasks().map((t) => t.loopItem)).toEqual([leaders[2]]);
    await run.act(() => run.openUserTasks()[0].signal({ vote: '不同意' }));
    expect(run.openUserTasks().map((t) => t.elementId)).toEqual(['Task_after']);
  });

  it('ends early when the FEEL completion condition holds, cancelling the iterations still open', async () => {
    const def = await countersign(loopOf('isSequential="false"', 'nrOfCompletedInstances &gt;= 2'));
    let run = new EngineRun(def, { attendees: leaders.slice(0, 4) }, opts);
    await run.start();
    expect(run.openUserTasks()).toHaveLength(4);
    await run.act(() => run.openUserTasks()[0].signal({ vote: '同意' }));
    run = await restart(run);
    expect(run.openUserTasks()).toHaveLength(3);
    await run.act(() => run.openUserTasks()[0].signal({ vote: '同意' }));
    expect(run.openUserTasks().map((t) => t.elementId)).toEqual(['Task_after']);
  });

  it('runs a sequential loop one attendee at a time, in the order of the list', async () => {
    const def = await countersign(loopOf('isSequential="true"'));
    let run = new EngineRun(def, { attendees: leaders.slice(0, 2) }, opts);
    await run.start();
    expect(run.openUserTasks().map((t) => t.loopItem)).toEqual([leaders[0]]);
    await run.act(() => run.openUserTasks()[0].signal({ vote: '同意' }));
    run = await restart(run);
    expect(run.openUserTasks().map((t) => t.loopItem)).toEqual([leaders[1]]);
    await run.act(() => run.openUserTasks()[0].signal({ vote: '同意' }));
    expect(run.openUserTasks().map((t) => t.elementId)).toEqual(['Task_after']);
  });

  it('fails the run rather than open more tasks than the bound', async () => {
    const def = await countersign(loopOf('isSequential="false"'));
    const many = Array.from(
      { length: 16 },
      (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
    );
    const run = new EngineRun(def, { attendees: many }, opts);
    await expect(run.start()).rejects.toThrow('超过上限 15 人');
  });
});
