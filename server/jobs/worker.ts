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
      },
    );
    worker.on('failed', (job, err) => opts.log.warn({ err, job: job?.id, name: job?.name }, 'job failed'));
    worker.on('error', (err) => opts.log.error({ err }, 'worker error'));
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
