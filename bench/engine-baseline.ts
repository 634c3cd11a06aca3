/**
 * bpmn-engine alone on the bench's process definition, the figure bench/engine-steps.ts compares Fashen with:
 * recover → signal → getState in a loop, in memory, in a worker thread (whose modules are its own): on smqp as
 * Fashen runs it (server/engine/smqp-bindings.ts and smqp-delivery.ts) or on stock smqp.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Engine } from 'bpmn-engine';
import { FeelConditions } from '../server/engine/feel.js';
import { engineSmqpEntries } from '../server/engine/smqp-bindings.js';
import { moddleOptions } from '../workflows/schema.js';

export interface BaselineRun {
  steps: number;
  seconds: number;
}

/** Whether this thread's smqp carries Fashen's patches. */
export async function smqpPatched(): Promise<boolean> {
  for (const entry of engineSmqpEntries()) {
    const smqp = (await import(entry)) as { Exchange: (name: string) => object };
    const proto = Object.getPrototypeOf(smqp.Exchange('probe')) as Record<symbol, unknown>;
    if (proto[Symbol.for('fashen.smqpDeliveryPatched')]) return true;
  }
  return false;
}

/** bpmn-engine alone for `seconds`: its steps (recover → signal → getState) and the seconds they took. */
export async function baseline(xml: string, seconds: number): Promise<BaselineRun> {
  const variables = { again: true };
  const make = () => new Engine({ moddleOptions, scripts: new FeelConditions(() => variables) as never });
  const engine0 = new Engine({ source: xml, moddleOptions, scripts: new FeelConditions(() => variables) as never });
  await engine0.execute();
  let state = await engine0.getState();
  await engine0.stop();
  let steps = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const engine = make();
    engine.recover(state);
    const execution = await engine.resume();
    const task = execution.getPostponed().find((a: { id: string }) => a.id === 'Task_step');
    if (!task) throw new Error('baseline lost its task');
    task.signal({ again: true });
    state = await engine.getState();
    await engine.stop();
    steps++;
  }
  return { steps, seconds: (performance.now() - start) / 1000 };
}

/**
 * The baseline in a worker thread that runs one slice per call, on smqp as Fashen runs it (`patched`) or on stock
 * smqp. Both kinds run in a worker, so that neither shares a heap with the bench's own HTTP clients.
 */
export function workerBaseline(xml: string, patched: boolean) {
  const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    workerData: { module: import.meta.url, baseline: { xml, patched } },
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { patched: boolean }) =>
      m.patched === patched
        ? resolve()
        : reject(new Error(`the baseline worker's smqp is ${m.patched ? '' : 'not '}patched`)),
    );
    worker.once('error', reject);
  });
  return {
    async run(seconds: number): Promise<BaselineRun> {
      await ready;
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(seconds);
      });
    },
    close: () => worker.terminate(),
  };
}

if (!isMainThread && workerData?.baseline) {
  const { xml, patched } = workerData.baseline as { xml: string; patched: boolean };
  if (patched) await (await import('../server/engine/smqp-bindings.js')).patchEngineBrokers();
  const port = parentPort!;
  port.postMessage({ patched: await smqpPatched() });
  port.on('message', async (seconds: number) => port.postMessage(await baseline(xml, seconds)));
}
