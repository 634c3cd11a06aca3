// A worker thread does not inherit tsx's loader from a bench run with `npx tsx`: this registers it in the worker,
// then loads the TypeScript module the worker was started for (workerData.module, a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
