import { type Job, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { type JobName, jobCatalogue, queueNames } from './catalogue.js';

export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

export interface WorkerPool {
  close(): Promise<void>;
}

/**
 * Starts one BullMQ Worker per catalogue queue. Refuses to start if any job in the catalogue has no
 * handler, so a job can never sit in a queue that nobody consumes.
 */
export function startWorkers(opts: {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  handlers: Record<JobName, JobHandler>;
  log: FastifyBaseLogger;
}): WorkerPool {
  for (const name of Object.keys(jobCatalogue) as JobName[]) {
    if (!opts.handlers[name]) throw new Error(`job ${name} has no handler`);
  }
  const workers = queueNames.map((queue) => {
    const worker = new Worker(
      queue,
      async (job, token) => {
        const handler = opts.handlers[job.name as JobName];
        if (!handler) throw new Error(`no handler for job ${job.name}`);
        return handler(job, token);
      },
      {
        connection: { url: opts.redisUrl, maxRetriesPerRequest: null },
        prefix: opts.prefix,
        concurrency: opts.concurrency,
        // A job held by a worker that died (kill -9) is taken up again within about 20 s rather than after
        // BullMQ's 30 s lock and 30 s stalled check; the handler re-reads PostgreSQL, so a retry is harmless.
        lockDuration: 15_000,
        stalledInterval: 5_000,
      },
    );
    worker.on('failed', (job, err) => opts.log.warn({ err, job: job?.id, name: job?.name }, 'job failed'));
    // While Redis is away the worker retries with backoff and reports it once a minute, not on every retry.
    let lastReported = 0;
    worker.on('error', (err) => {
      if (Date.now() - lastReported < 60_000) return;
      lastReported = Date.now();
      opts.log.error({ err: { message: err.message } }, 'worker error (retrying)');
    });
    return worker;
  });
  return {
    // Worker.close() waits for jobs in progress to finish: SIGTERM never cuts a command in half.
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** Runs `fn` now and every `intervalMs` until stopped; overlapping runs are skipped, errors logged. */
export function every(intervalMs: number, fn: () => Promise<unknown>, log: FastifyBaseLogger) {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = fn()
      .catch((err) => log.warn({ err }, 'maintenance run failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const handle = setInterval(tick, intervalMs);
  handle.unref();
  return {
    async stop() {
      clearInterval(handle);
      await running;
    },
  };
}
