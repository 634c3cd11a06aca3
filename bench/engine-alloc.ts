/**
 * What bpmn-engine's in-memory broker (smqp) costs a step, on stock smqp and as Fashen runs it
 * (server/engine/smqp-bindings.ts and smqp-delivery.ts), each in a worker thread of its own, alternating:
 * the messages smqp queues per step, the bytes a step allocates (V8's sampling heap profiler, counting what was
 * collected too) and CPU milliseconds per step. Two kinds of step on bench/loop.bpmn: warm (one live engine
 * signalled again and again, then getState, as a warm engine in Fashen) and recovered (recover → resume →
 * signal → getState, as the in-memory baseline of bench/engine-steps.ts). Prints the ratios patched / stock.
 *
 *   npx tsx bench/engine-alloc.ts [--steps 1000] [--rounds 2]
 */
import { readFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { Engine } from 'bpmn-engine';
import { FeelConditions } from '../server/engine/feel.js';
import { engineSmqpEntries } from '../server/engine/smqp-bindings.js';
import { moddleOptions } from '../workflows/schema.js';
import { numberArg } from './args.js';
import { recoveredStep, serveSmqpWorker, signalLoopTask, smqpWorker } from './engine-baseline.js';

interface Figures {
  messages: number;
  kilobytes: number;
  cpuMs: number;
}
type Kind = 'warm' | 'recovered';

const xml = await readFile(new URL('./loop.bpmn', import.meta.url), 'utf8');

/** Counts the messages every copy of smqp the engine uses queues (a wrapper over Queue.prototype.queueMessage). */
async function countMessages(): Promise<() => number> {
  let queued = 0;
  for (const entry of engineSmqpEntries()) {
    const { Queue } = (await import(entry)) as { Queue: { prototype: { queueMessage: (...a: unknown[]) => unknown } } };
    const queueMessage = Queue.prototype.queueMessage;
    Queue.prototype.queueMessage = function counted(this: unknown, ...args: unknown[]) {
      queued++;
      return queueMessage.apply(this, args);
    };
  }
  return () => queued;
}

/** Runs `steps` steps of one kind after a warm-up: messages, KB allocated and CPU ms, each per step. */
async function measure(kind: Kind, steps: number, queued: () => number, session: Session): Promise<Figures> {
  const variables = { again: true };
  const scripts = () => new FeelConditions(() => variables) as never;
  const live = new Engine({ source: xml, moddleOptions, scripts: scripts() });
  const execution = await live.execute();
  let state = await live.getState();
  const step = async () => {
    if (kind === 'warm') {
      signalLoopTask(execution);
      state = await live.getState();
    } else {
      state = await recoveredStep(new Engine({ moddleOptions, scripts: scripts() }), state);
    }
  };
  for (let i = 0; i < 50; i++) await step();
  // CPU first, without the profiler (it adds its own work), then messages and bytes with it.
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) await step();
  const cpu = process.cpuUsage(cpu0);
  const sampled = Math.max(200, Math.round(steps / 2));
  const before = queued();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < sampled; i++) await step();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const messages = queued() - before;
  let bytes = 0;
  const walk = (node: { selfSize: number; children: unknown[] }) => {
    bytes += node.selfSize;
    for (const child of node.children) walk(child as typeof node);
  };
  walk(profile.head as never);
  await live.stop();
  return {
    messages: messages / sampled,
    kilobytes: bytes / sampled / 1024,
    cpuMs: (cpu.user + cpu.system) / 1000 / steps,
  };
}

async function measureHere(kind: Kind, steps: number): Promise<Figures> {
  const session = new Session();
  session.connect();
  try {
    return await measure(kind, steps, await counter, session);
  } finally {
    session.disconnect();
  }
}
const counter = countMessages();

const inWorker = await serveSmqpWorker<{ kind: Kind; steps: number }, Figures>(import.meta.url, ({ kind, steps }) =>
  measureHere(kind, steps),
);
if (!inWorker) {
  const STEPS = numberArg('steps', 1000);
  const ROUNDS = numberArg('rounds', 2);
  const start = (patched: boolean) =>
    smqpWorker<{ kind: Kind; steps: number }, Figures>(import.meta.url, patched, null);
  const stockWorker = start(false);
  const patchedWorker = start(true);
  const fmt = (f: Figures) =>
    `${f.messages.toFixed(0)} messages, ${f.kilobytes.toFixed(0)} KB, ${f.cpuMs.toFixed(2)} ms CPU per step`;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const kind of ['warm', 'recovered'] as const) {
      const steps = kind === 'warm' ? STEPS : Math.round(STEPS / 3);
      const stock = await stockWorker.call({ kind, steps });
      const patched = await patchedWorker.call({ kind, steps });
      console.log(`round ${round}, ${kind} step (${steps}): stock smqp ${fmt(stock)}`);
      console.log(`round ${round}, ${kind} step (${steps}): as Fashen runs it ${fmt(patched)}`);
      console.log(
        `    patched / stock: messages ${(patched.messages / stock.messages).toFixed(2)}, bytes ` +
          `${(patched.kilobytes / stock.kilobytes).toFixed(2)}, CPU ${(patched.cpuMs / stock.cpuMs).toFixed(2)}`,
      );
    }
  }
  await Promise.all([stockWorker.close(), patchedWorker.close()]);
}
