import { once } from 'node:events';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Value } from 'typebox/value';
import { type JobName, type JobPayload, jobCatalogue, type QueueName, queueNames } from './catalogue.js';

export interface EnqueueOptions {
  jobId: string;
  delayMs?: number;
}

/**
 * Where the producer notes Redis going away and coming back, once each (debug: the process's own Redis
 * client says it to the operator, in one line).
 */
export interface QueueLog {
  debug(obj: object, msg: string): void;
}

/**
 * The producer side: one BullMQ Queue per catalogue queue, all under one prefix, sharing one connection that
 * is opened on first use (so a command that never enqueues, e.g. `fashen deploy`, does not need Redis) and
 * reconnects with backoff for ever. It fails fast while Redis is away (no offline queue): PostgreSQL holds
 * what was to be delivered, and the outbox relay and the timer reconciler deliver it once Redis is back.
 */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();
  private connection: Redis | undefined;
  private down = false;
  /** The first connection has succeeded or failed: from then on nobody waits for a reconnect. */
  private settled = false;

  constructor(
    private readonly redisUrl: string,
    readonly prefix: string,
    private readonly log?: QueueLog,
  ) {}

  private redis(): Redis {
    if (!this.connection) {
      const redis = new Redis(this.redisUrl, {
        maxRetriesPerRequest: 3,
        enableOfflineQueue: false,
        // The commands of one event-loop turn go to Redis as one write: under load, the timer jobs of many steps
        // at once. Redis is one thread shared by every server and worker; this costs it a third less a step.
        enableAutoPipelining: true,
        retryStrategy: (times) => Math.min(times * 200, 5000),
      });
      redis.on('error', (err) => {
        this.settled = true;
        if (this.down) return;
        this.down = true;
        this.log?.debug({ err: { message: err.message } }, 'queues: Redis unreachable, delivery waits');
      });
      redis.on('ready', () => {
        this.settled = true;
        if (this.down) this.log?.debug({}, 'queues: Redis is back');
        this.down = false;
      });
      this.connection = redis;
    }
    return this.connection;
  }

  /**
   * Whether Redis takes jobs now. The first connection is given `waitMs` to come up; a connection that was up
   * and dropped answers at once, so that no command's answer waits on Redis.
   */
  async ready(waitMs = 1000): Promise<boolean> {
    const redis = this.redis();
    if (redis.status === 'ready') return true;
    if (waitMs <= 0 || this.settled) return false;
    const timeout = AbortSignal.timeout(waitMs);
    try {
      await once(redis, 'ready', { signal: timeout });
      return true;
    } catch {
      return false;
    }
  }

  queue(name: QueueName): Queue {
    if (!queueNames.includes(name)) throw new Error(`unknown queue ${name}`);
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis(), prefix: this.prefix });
      q.on('error', () => {
        // Reported once per outage by the connection's own listener.
      });
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

  /**
   * Queues the items whose job does not exist yet; returns how many it added. A reconciler checks every pending
   * timer each run: one pipelined EXISTS per job (as BullMQ's own duplicate check does, but without running its
   * add script and writing a `duplicated` event for each), so that a run over 100,000 timers costs Redis little.
   */
  async enqueueMissing<N extends JobName>(
    name: N,
    items: { payload: JobPayload<N>; jobId: string; delayMs?: number }[],
  ): Promise<number> {
    if (items.length === 0) return 0;
    const queue = this.queue(jobCatalogue[name].queue);
    const pipeline = this.redis().pipeline();
    for (const i of items) pipeline.exists(queue.toKey(i.jobId));
    const found = (await pipeline.exec()) ?? [];
    const missing = items.filter((_, k) => {
      const [err, n] = found[k] ?? [new Error('no reply'), 0];
      if (err) throw err;
      return n === 0;
    });
    await this.enqueueMany(name, missing);
    return missing.length;
  }

  async remove(name: JobName, jobId: string): Promise<void> {
    // A job that is running or already gone cannot be removed; its handler re-checks the database anyway.
    await this.queue(jobCatalogue[name].queue)
      .remove(jobId)
      .catch(() => 0);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection?.disconnect();
  }
}
