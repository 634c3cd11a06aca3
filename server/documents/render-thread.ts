import { Worker } from 'node:worker_threads';
import { RENDER_BUDGET, TemplateBudgetError, type TemplateProblem } from './engine.js';

/** A render the thread refused: carries the problem as the thread described it. */
export class RenderedTemplateError extends Error {
  constructor(readonly problem: TemplateProblem) {
    super(problem.message);
    this.name = 'RenderedTemplateError';
  }
}

type Reply = { ok: true; markup: string } | { ok: false; problem: TemplateProblem };

/**
 * Renders templates in a worker thread, one at a time, each within `timeoutMs`: a render past it terminates the
 * thread (a new one starts for the next render) and fails with TemplateBudgetError. Inside the thread the
 * engine's own meter stops loops early with the line; the time limit catches whatever it does not.
 */
export class RenderThread {
  private worker: { thread: Worker; ready: Promise<void> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs = 1000) {}

  render(source: string, view: object): Promise<string> {
    const run = this.queue.then(() => this.run(source, view));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.thread.terminate();
  }

  private spawn(): { thread: Worker; ready: Promise<void> } {
    // From the TypeScript sources (development, tests) the thread loads through tsx; built, it is plain JS.
    const fromSource = import.meta.url.endsWith('.ts');
    const worker = new Worker(new URL(fromSource ? './render-worker-dev.mjs' : './render-worker.js', import.meta.url));
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return { thread: worker, ready };
  }

  private async run(source: string, view: object): Promise<string> {
    this.worker ??= this.spawn();
    const current = this.worker;
    const worker = current.thread;
    try {
      await current.ready;
    } catch (err) {
      if (this.worker === current) this.worker = undefined;
      throw err;
    }
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const drop = () => {
        if (this.worker === current) this.worker = undefined;
        void worker.terminate();
      };
      const timer = setTimeout(() => {
        done();
        drop();
        reject(new TemplateBudgetError(undefined, { ...RENDER_BUDGET, millis: this.timeoutMs }));
      }, this.timeoutMs);
      const onMessage = (reply: Reply) => {
        done();
        if (reply.ok) resolve(reply.markup);
        else reject(new RenderedTemplateError(reply.problem));
      };
      const onError = (err: Error) => {
        done();
        drop();
        reject(err);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ source, view });
    });
  }
}
