import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { every } from '../jobs/worker.js';
import type { WebhookContext } from './context.js';
import { fanOut } from './fanout.js';
import * as q from './queries.js';
import { type SendResult, send } from './send.js';
import type { SubscriberRow } from './tables.js';

const JOB = 'webhook.deliver';
const jobId = (deliveryId: number) => `wh-${deliveryId}`;
/** Each subscriber has its own queue and worker, so a slow or dead one holds up only itself. */
const queueName = (subscriberId: string) => `webhook-${subscriberId}`;

interface Lane {
  queue: Queue;
  worker: Worker;
  /** What the lane was opened with: a change opens it again. */
  version: string;
}

export interface Dispatcher {
  /** Fans out new records and queues what may go now; the poll runs it, tests may call it to hurry. */
  tick(): Promise<void>;
  /** Queues every pending delivery that may go now, whether or not it was queued before (Redis lost it). */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

/** How many of a case's events one job sends in a row before it hands the rest back to the queue. */
const RUN = 20;

/**
 * A job's work: claim the delivery in PostgreSQL (still pending, first in its case's line, not leased), POST it,
 * record the outcome; while delivered, the case's next event for this subscriber is claimed in the same
 * statement and sent at once (up to RUN in a row, then queued). A failure of the job's own delivery throws, so
 * BullMQ retries it with exponential backoff; a failure of one sent in a row is queued as its own job (first delay
 * WEBHOOK_BACKOFF_MS, then doubling). After the last attempt a delivery is a dead letter and the case's later events wait
 * behind it until the admin replays it.
 */
export async function attempt(
  ctx: WebhookContext,
  deliveryId: number,
  target: { url: string; secret: string },
  queue: (items: { id: number; subscriber_id: string; delayMs?: number }[]) => Promise<void>,
): Promise<'delivered' | 'pending' | 'dead' | 'skipped'> {
  const { settings } = ctx;
  const leaseMs = settings.timeoutMs * 2 + 5000;
  let current = await q.claim(ctx.db, deliveryId, leaseMs);
  if (!current) {
    await q.unqueueIfWaiting(ctx.db, deliveryId);
    return 'skipped';
  }
  for (let sent = 1; ; sent++) {
    const result: SendResult = await send(ctx.policy, {
      url: target.url,
      secret: target.secret,
      eventId: current.event_id,
      eventType: current.event_type,
      body: current.body,
      timeoutMs: settings.timeoutMs,
      now: ctx.clock.now(),
    });
    const more = sent < RUN;
    const outcome = await q.recordAttempt(ctx.db, Number(current.id), result, {
      maxAttempts: settings.maxAttempts,
      claimNextMs: more ? leaseMs : null,
    });
    if (outcome.status === 'pending') {
      if (Number(current.id) === deliveryId) throw new Error(result.error ?? 'delivery failed');
      await queue([{ id: Number(current.id), subscriber_id: current.subscriber_id, delayMs: settings.backoffMs }]);
      return 'pending';
    }
    if (outcome.status === 'dead' || !outcome.next) return outcome.status;
    if (!outcome.next.claimed) {
      await queue([outcome.next]);
      return outcome.status;
    }
    current = outcome.next;
  }
}

export function startDispatcher(ctx: WebhookContext): Dispatcher {
  const { settings, log } = ctx;
  // Fails fast while Redis is away (no offline queue): deliveries wait in PostgreSQL, and stopping never hangs.
  const connection = new Redis(settings.redisUrl, {
    maxRetriesPerRequest: 3,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  connection.on('error', () => {
    // BullMQ's workers report Redis being away; delivery waits in PostgreSQL meanwhile.
  });
  const lanes = new Map<string, Lane>();
  const jobOptions = {
    attempts: settings.maxAttempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete: true,
    removeOnFail: true,
  };

  const enqueue = async (items: { id: number; subscriber_id: string; delayMs?: number }[]) => {
    const bySubscriber = new Map<string, typeof items>();
    for (const i of items) bySubscriber.set(i.subscriber_id, [...(bySubscriber.get(i.subscriber_id) ?? []), i]);
    for (const [subscriberId, list] of bySubscriber) {
      const lane = lanes.get(subscriberId);
      if (!lane) continue;
      await lane.queue.addBulk(
        list.map((i) => ({
          name: JOB,
          data: { deliveryId: i.id },
          opts: { ...jobOptions, jobId: jobId(i.id), delay: i.delayMs ?? 0 },
        })),
      );
    }
  };

  const open = (s: SubscriberRow, version: string): Lane => {
    const subscriberId = s.id;
    // Opened once per lane, not per delivery; the lane is closed when the subscriber is stopped.
    const target = { url: s.url, secret: ctx.keystore.open(s.sealed_secret) };
    const name = queueName(subscriberId);
    const queue = new Queue(name, { connection, prefix: settings.prefix });
    queue.on('error', () => {});
    const worker = new Worker(
      name,
      async (job: Job<{ deliveryId: number }>) => attempt(ctx, job.data.deliveryId, target, enqueue),
      {
        connection: { url: settings.redisUrl, maxRetriesPerRequest: null },
        prefix: settings.prefix,
        concurrency: s.concurrency,
        lockDuration: Math.max(15_000, settings.timeoutMs * 2),
        stalledInterval: 5_000,
      },
    );
    worker.on('error', () => {});
    worker.on('failed', (job, err) =>
      log.debug({ subscriberId, job: job?.id, err: { message: err.message } }, 'webhook attempt failed'),
    );
    return { queue, worker, version };
  };

  const close = async (lane: Lane) => {
    await lane.worker.close();
    await lane.queue.close();
  };

  /** A lane per active subscriber; one whose address, secret or concurrency changed is opened again. */
  const sync = async () => {
    const active = await q.activeSubscribers(ctx.db);
    const wanted = new Map(active.map((s) => [s.id, { s, version: `${s.url} ${s.sealed_secret} ${s.concurrency}` }]));
    for (const [id, lane] of lanes) {
      if (wanted.get(id)?.version !== lane.version) {
        lanes.delete(id);
        await close(lane);
      }
    }
    for (const [id, { s, version }] of wanted) if (!lanes.has(id)) lanes.set(id, open(s, version));
  };

  const queueHeads = async (onlyUnqueued: boolean) => {
    if (connection.status !== 'ready') return;
    for (;;) {
      const heads = await q.laneHeads(ctx.db, { onlyUnqueued, limit: 2000 });
      const ready = heads.filter((h) => lanes.has(h.subscriber_id));
      await enqueue(ready);
      await q.markEnqueued(
        ctx.db,
        ready.map((h) => h.id),
      );
      if (!onlyUnqueued || heads.length < 2000 || ready.length === 0) return;
    }
  };

  // The poll, the reconciler and a test's own tick never overlap: one lane per subscriber, one fan-out caller.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  };
  const tick = () =>
    serial(async () => {
      await sync();
      while ((await fanOut(ctx)) > 0) {
        // Until the outbox is empty.
      }
      await queueHeads(true);
    });
  const reconcile = () =>
    serial(async () => {
      await sync();
      await queueHeads(false);
    });

  const poll = every(settings.pollMs, tick, log);
  const recon = every(settings.reconcileMs, reconcile, log);
  return {
    tick,
    reconcile,
    async stop() {
      await Promise.all([poll.stop(), recon.stop()]);
      await Promise.all([...lanes.values()].map(close));
      lanes.clear();
      connection.disconnect();
    },
  };
}
