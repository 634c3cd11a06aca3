import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module shared with the worker thread below, which cannot load TypeScript
import { traceRun } from '../../tests/fixtures/smqp-trace.mjs';
import { EngineRun } from './engine-run.js';
import { engineSmqpEntries } from './smqp-bindings.js';
import { BROKER_HANDLED_EVENTS, brokerEventHandlerProto, type SmqpModule } from './smqp-delivery.js';

// EngineRun's module patches every copy of smqp the engine uses when it is loaded.
void EngineRun;

interface Queue {
  on(event: string, handler: (...args: unknown[]) => void): unknown;
  consume(handler: (...args: unknown[]) => void, options?: { consumerTag?: string }): { cancel(): void };
  events: EventExchange;
}
interface EventExchange {
  on(pattern: string, handler: (routingKey: string) => void): unknown;
  publish(routingKey: string, content?: unknown): unknown;
}
interface Broker {
  assertQueue(name: string, options?: { autoDelete?: boolean }): Queue;
  assertExchange(name: string, type?: string, options?: { autoDelete?: boolean }): unknown;
  bindQueue(queue: string, exchange: string, pattern: string): unknown;
  unbindQueue(queue: string, exchange: string, pattern: string): unknown;
  sendToQueue(queue: string, content: unknown): unknown;
  publish(exchange: string, routingKey: string, content: unknown, properties?: { mandatory?: boolean }): unknown;
  on(event: string, handler: (event: unknown) => void): unknown;
  getQueue(name: string): Queue | undefined;
  getExchange(name: string): unknown;
  getConsumer(tag: string): unknown;
  deleteQueue(name: string): unknown;
}
type Smqp = Omit<SmqpModule, 'Broker'> & { Broker: new () => Broker };

/** Two tasks in parallel, one with a boundary timer that does not interrupt it, joined and looped back. */
const LOOP = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="http://fashen.gov.cn/test">
  <process id="P" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Merge" />
    <exclusiveGateway id="Merge" />
    <sequenceFlow id="F00" sourceRef="Merge" targetRef="Split" />
    <parallelGateway id="Split" />
    <sequenceFlow id="F1" sourceRef="Split" targetRef="A" />
    <sequenceFlow id="F2" sourceRef="Split" targetRef="B" />
    <userTask id="A" />
    <userTask id="B" />
    <boundaryEvent id="Late" attachedToRef="A" cancelActivity="false">
      <timerEventDefinition><timeDuration>P30D</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="F3" sourceRef="Late" targetRef="LateEnd" />
    <endEvent id="LateEnd" />
    <sequenceFlow id="F4" sourceRef="A" targetRef="Join" />
    <sequenceFlow id="F5" sourceRef="B" targetRef="Join" />
    <parallelGateway id="Join" />
    <sequenceFlow id="F6" sourceRef="Join" targetRef="Merge" />
  </process>
</definitions>`;

describe('smqp delivery (engine brokers)', () => {
  const entries = engineSmqpEntries();
  const load = async (entry: string) => (await import(entry)) as Smqp;

  it.each(entries)('knows every event the broker handler acts on (%s)', async (entry) => {
    const source = String(brokerEventHandlerProto(await load(entry)).handler);
    const cases = [...source.matchAll(/case '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(cases)).toEqual(new Set(BROKER_HANDLED_EVENTS));
  });

  it.each(entries)('keeps the broker’s books of consumers, queues and exchanges (%s)', async (entry) => {
    const { Broker } = await load(entry);
    const broker = new Broker();
    const queue = broker.assertQueue('q', { autoDelete: false });
    const consumer = queue.consume(() => undefined, { consumerTag: 'tag-1' });
    expect(broker.getConsumer('tag-1')).toBe(consumer);
    expect(() => queue.consume(() => undefined, { consumerTag: 'tag-1' })).toThrow(/tag-1/);
    consumer.cancel();
    expect(broker.getConsumer('tag-1')).toBeUndefined();
    broker.assertExchange('x', 'topic', { autoDelete: true });
    broker.bindQueue('q', 'x', 'a.#');
    broker.unbindQueue('q', 'x', 'a.#');
    expect(broker.getExchange('x')).toBeUndefined();
    broker.deleteQueue('q');
    expect(broker.getQueue('q')).toBeUndefined();
  });

  it.each(entries)('still delivers an event someone listens to (%s)', async (entry) => {
    const { Broker } = await load(entry);
    const broker = new Broker();
    const queue = broker.assertQueue('q', { autoDelete: false });
    const heard: string[] = [];
    queue.on('depleted', () => heard.push('depleted'));
    broker.sendToQueue('q', 1);
    queue.consume((_key, message) => (message as { ack(): void }).ack());
    expect(heard).toEqual(['depleted']);
  });

  it.each(entries)(
    'delivers an event published inside a delivery to whoever subscribes before it is routed (%s)',
    async (entry) => {
      const { Broker } = await load(entry);
      const events = new Broker().assertQueue('q').events;
      const heard: string[] = [];
      events.on('outer', () => {
        // Routed only when the outer event has reached every binding, so the subscription below still hears it.
        events.publish('inner', 1);
        events.on('inner', (key) => heard.push(key));
      });
      events.publish('outer', 1);
      expect(heard).toEqual(['inner']);
    },
  );

  it.each(entries)(
    'routes a message published inside a delivery after the outer one reached every queue (%s)',
    async (entry) => {
      const { Broker } = await load(entry);
      const broker = new Broker();
      broker.assertExchange('x', 'topic');
      const log: string[] = [];
      for (const [queue, pattern] of [
        ['q1', 'a'],
        ['q2', '#'],
      ]) {
        broker.assertQueue(queue);
        broker.bindQueue(queue, 'x', pattern);
        broker.getQueue(queue)!.consume((key, message) => {
          log.push(`${queue}:${key}`);
          (message as { ack(): void }).ack();
          if (queue === 'q1') broker.publish('x', 'b', 2);
        });
      }
      broker.publish('x', 'a', 1);
      expect(log).toEqual(['q1:a', 'q2:a', 'q2:b']);
    },
  );

  it.each(entries)('returns a mandatory message no binding takes (%s)', async (entry) => {
    const { Broker } = await load(entry);
    const broker = new Broker();
    broker.assertExchange('x', 'topic');
    broker.assertQueue('q');
    broker.bindQueue('q', 'x', 'a.*');
    const returned: string[] = [];
    broker.on('return', (event) => returned.push((event as { fields: { routingKey: string } }).fields.routingKey));
    broker.publish('x', 'b.1', 1, { mandatory: true });
    broker.publish('x', 'a.1', 2, { mandatory: true });
    expect(returned).toEqual(['b.1']);
  });

  it('gives the same engine events and broker bookkeeping, in the same order, as stock smqp', async () => {
    const steps = 12;
    const patched = (await traceRun(entries, [...BROKER_HANDLED_EVENTS], LOOP, steps)) as {
      trace: string[];
      stateChars: number;
    };
    const stock = await new Promise<typeof patched>((resolve, reject) => {
      const worker = new Worker(new URL('../../tests/fixtures/smqp-trace.mjs', import.meta.url), {
        workerData: { smqpTrace: { entries, handled: [...BROKER_HANDLED_EVENTS], source: LOOP, steps } },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(patched.trace.filter((t) => t.startsWith('engine activity.wait')).length).toBeGreaterThan(steps);
    expect(patched.trace.filter((t) => t.startsWith('broker queue.consume')).length).toBeGreaterThan(steps);
    expect(patched.trace).toEqual(stock.trace);
    expect(patched.stateChars).toBe(stock.stateChars);
  });
});
