import { Queue } from 'bullmq';
import { Value } from 'typebox/value';
import { type JobName, type JobPayload, jobCatalogue, type QueueName, queueNames } from './catalogue.js';

export interface EnqueueOptions {
  jobId: string;
  delayMs?: number;
}

/**
 * The producer side: one BullMQ Queue per catalogue queue, all under one prefix. Each connects on first use,
 * so a command that never enqueues (e.g. `fashen deploy`) does not need Redis.
 */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly redisUrl: string,
    readonly prefix: string,
  ) {}

  queue(name: QueueName): Queue {
    if (!queueNames.includes(name)) throw new Error(`unknown queue ${name}`);
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: { url: this.redisUrl, maxRetriesPerRequest: 3 }, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: EnqueueOptions): Promise<void> {
    const entry = jobCatalogue[name];
    Value.Assert(entry.payload, payload);
    await this.queue(entry.queue).add(name, payload, {
      ...entry.options,
      jobId: opts.jobId,
      delay: Math.max(0, opts.delayMs ?? 0),
    });
  }

  async enqueueMany<N extends JobName>(
    name: N,
    items: { payload: JobPayload<N>; jobId: string; delayMs?: number }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const entry = jobCatalogue[name];
    await this.queue(entry.queue).addBulk(
      items.map((i) => ({
        name,
        data: i.payload,
        opts: { ...entry.options, jobId: i.jobId, delay: Math.max(0, i.delayMs ?? 0) },
      })),
    );
  }

  async remove(name: JobName, jobId: string): Promise<void> {
    // A job that is running or already gone cannot be removed; its handler re-checks the database anyway.
    await this.queue(jobCatalogue[name].queue)
      .remove(jobId)
      .catch(() => 0);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
