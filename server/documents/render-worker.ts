// The thread department templates are rendered in (render-thread.ts): a template that loops for ever costs
// this thread, which is terminated at its time limit, never the service's event loop.
import { parentPort } from 'node:worker_threads';
import { createTemplateEngine, templateProblem } from './engine.js';

const engine = createTemplateEngine();

parentPort?.on('message', (message: { source: string; view: object }) => {
  try {
    parentPort?.postMessage({ ok: true, markup: engine.render(message.source, message.view) });
  } catch (err) {
    parentPort?.postMessage({ ok: false, problem: templateProblem(err) });
  }
});

// Loaded: the parent starts each render's clock only from here (loading is not the template's time).
parentPort?.postMessage({ ready: true });
