/**
 * bpmn-engine alone on the bench's process definition, the figure bench/engine-steps.ts compares Fashen with:
 * recover → signal → getState in a loop, in memory, in a worker thread (whose modules are its own): on smqp as
 * Fashen runs it (server/engine/smqp-bindings.ts and smqp-delivery.ts) or on stock smqp.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Engine } from 'bpmn-engine';
import { FeelConditions } from '../server/engine/feel.js';
import { engineSmqpEntries } from '../server/engine/smqp-bindings.js';
import { isSmqpPatched, type SmqpModule } from '../server/engine/smqp-delivery.js';
import { moddleOptions } from '../workflows/schema.js';

export interface BaselineRun {
  steps: number;
  seconds: number;
}

/** Whether this thread's smqp carries Fashen's patches. */
export async function smqpPatched(): Promise<boolean> {
  for (const entry of engineSmqpEntries()) {
    if (isSmqpPatched((await import(entry)) as SmqpModule)) return true;
  }
  return false;
}

type LoopEngine = InstanceType<typeof Engine>;
type LoopState = Awaited<ReturnType<LoopEngine['getState']>>;

/** Signals the loop's task on a running execution (throws if the loop lost it). */
export function signalLoopTask(execution: { getPostponed(): { id: string; signal(m: unknown): void }[] }): void {
  const task = execution.getPostponed().find((a) => a.id === 'Task_step');
  if (!task) throw new Error('the loop lost its task');
  task.signal({ again: true });
}

/** One recovered step of the loop on a new engine: recover → resume → signal → getState; the new state. */
export async function recoveredStep(engine: LoopEngine, state: LoopState): Promise<LoopState> {
  engine.recover(state);
  signalLoopTask(await engine.resume());
  const next = await engine.getState();
  await engine.stop();
  return next;
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
    state = await recoveredStep(make(), state);
    steps++;
  }
  return { steps, seconds: (performance.now() - start) / 1000 };
}

/**
 * A worker thread on stock smqp or on smqp as Fashen runs it (`patched`), started on `moduleUrl` (which calls
 * `serveSmqpWorker`); each call posts one request and waits for its answer.
 */
export function smqpWorker<Request, Answer>(moduleUrl: string, patched: boolean, data: unknown) {
  const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    workerData: { module: moduleUrl, smqpWorker: { patched, data } },
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const ready = next<{ patched: boolean }>().then((m) => {
    if (m.patched !== patched) throw new Error(`the worker's smqp is ${m.patched ? '' : 'not '}patched`);
  });
  return {
    async call(request: Request): Promise<Answer> {
      await ready;
      const answer = next<Answer>();
      worker.postMessage(request);
      return answer;
    },
    close: () => worker.terminate(),
  };
}

/**
 * The worker side of `smqpWorker`, called by the module at `moduleUrl`: in the worker started on that module it
 * patches smqp if asked, says whether it is, then answers each request; elsewhere it does nothing (false).
 */
export async function serveSmqpWorker<Request, Answer>(
  moduleUrl: string,
  answer: (request: Request, data: unknown) => Promise<Answer>,
): Promise<boolean> {
  if (isMainThread || workerData?.module !== moduleUrl || !workerData.smqpWorker) return false;
  const { patched, data } = workerData.smqpWorker as { patched: boolean; data: unknown };
  if (patched) await (await import('../server/engine/smqp-bindings.js')).patchEngineBrokers();
  const port = parentPort!;
  port.postMessage({ patched: await smqpPatched() });
  port.on('message', async (request: Request) => port.postMessage(await answer(request, data)));
  return true;
}

/**
 * The baseline in a worker thread that runs one slice per call, on smqp as Fashen runs it (`patched`) or on stock
 * smqp. Both kinds run in a worker, so that neither shares a heap with the bench's own HTTP clients.
 */
export function workerBaseline(xml: string, patched: boolean) {
  const worker = smqpWorker<number, BaselineRun>(import.meta.url, patched, xml);
  return { run: (seconds: number) => worker.call(seconds), close: worker.close };
}

await serveSmqpWorker<number, BaselineRun>(import.meta.url, (seconds, xml) => baseline(xml as string, seconds));
