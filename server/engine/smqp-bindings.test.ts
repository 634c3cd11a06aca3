import { readFile } from 'node:fs/promises';
import { Engine } from 'bpmn-engine';
import { describe, expect, it } from 'vitest';
import { EngineRun } from './engine-run.js';
import { engineSmqpEntries } from './smqp-bindings.js';

interface SmqpQueue {
  events: { bindingCount: number };
}
interface SmqpBroker {
  assertExchange(name: string, type: string, options?: { autoDelete: boolean }): unknown;
  assertQueue(name: string): SmqpQueue;
  bindQueue(queue: string, exchange: string, pattern: string): unknown;
  unbindQueue(queue: string, exchange: string, pattern: string): unknown;
  getQueue(name: string): SmqpQueue;
}

interface Activities {
  getProcesses(): unknown[];
  getActivities(): { broker: SmqpBroker }[];
}

// EngineRun's module patches every copy of smqp the engine uses when it is loaded.
void EngineRun;

describe('smqp bindings (engine brokers)', () => {
  const entries = engineSmqpEntries();

  it('finds the copies of smqp that bpmn-elements and bpmn-engine import', () => {
    expect(entries.length).toBeGreaterThanOrEqual(1);
    for (const entry of entries) expect(entry).toMatch(/\/smqp\/.+\.js$/);
  });

  it.each(entries)('leaves no subscription behind when a binding is closed (%s)', async (entry) => {
    const { Broker } = (await import(entry)) as { Broker: new () => SmqpBroker };
    const broker = new Broker();
    broker.assertExchange('execution', 'topic', { autoDelete: false });
    const queue = broker.assertQueue('execute-q');
    const before = queue.events.bindingCount;
    for (let i = 0; i < 10; i++) {
      broker.bindQueue('execute-q', 'execution', 'execute.#');
      expect(queue.events.bindingCount).toBe(before + 1);
      broker.unbindQueue('execute-q', 'execution', 'execute.#');
      expect(queue.events.bindingCount).toBe(before);
    }
  });

  it.each(entries)('still closes a binding when its queue is deleted (%s)', async (entry) => {
    const { Broker } = (await import(entry)) as { Broker: new () => SmqpBroker & { deleteQueue(n: string): void } };
    const broker = new Broker();
    const exchange = broker.assertExchange('execution', 'topic') as { bindingCount: number };
    broker.assertQueue('execute-q');
    broker.bindQueue('execute-q', 'execution', 'execute.#');
    expect(exchange.bindingCount).toBe(1);
    broker.deleteQueue('execute-q');
    expect(exchange.bindingCount).toBe(0);
  });

  it('keeps a long-running engine from growing a subscription per activity run', async () => {
    const source = await readFile(new URL('../../bench/loop.bpmn', import.meta.url), 'utf8');
    const engine = new Engine({ name: 'loop', source });
    const execution = await engine.execute();
    const subscriptions = () => {
      const [definition] = execution.definitions as unknown as Activities[];
      const activities = definition.getProcesses().flatMap((p) => (p as unknown as Activities).getActivities());
      return activities.reduce((n, a) => n + (a.broker.getQueue('execute-q')?.events.bindingCount ?? 0), 0);
    };
    const signal = () => {
      const task = execution.getPostponed().find((a: { id: string }) => a.id === 'Task_step');
      if (!task) throw new Error('the loop does not wait on Task_step');
      task.signal({ again: true });
    };
    signal();
    const afterOne = subscriptions();
    for (let i = 0; i < 20; i++) signal();
    expect(subscriptions()).toBe(afterOne);
    await engine.stop();
  });
});
