import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { every } from '../jobs/worker.js';
import type { WebhookContext } from './context.js';
import { fanOut } from './fanout.js';
import * as q from './queries.js';
import { type SendResult, send } from './send.js';

const JOB = 'webhook.deliver';
const jobId = (deliveryId: number) => `wh-${deliveryId}`;
/** Each subscriber has its own queue and worker, so a slow or dead one holds up only itself. */
const queueName = (subscriberId: string) => `webhook-${subscriberId}`;

interface Lane {
  queue: Queue;
  worker: Worker;
  concurrency: number;
}

export interface Dispatcher {
  /** Fans out new records and queues what may go now; the poll runs it, tests may call it to hurry. */
  tick(): Promise<void>;
  /** Queues every pending delivery that may go now, whether or not it was queued before (Redis lost it). */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One attempt at one delivery: claim it in PostgreSQL (still pending, first in its case's line, not leased),
 * POST it, record the outcome. A failure that leaves it pending throws, so BullMQ retries it with exponential
 * backoff; after the last attempt it is a dead letter and the case's later events wait behind it until the
 * admin replays it. Delivered: the case's next event for this subscriber is queued at once.
 */
export async function attempt(
  ctx: WebhookContext,
  deliveryId: number,
  queueNext: (next: { id: number; subscriber_id: string }) => Promise<void>,
): Promise<'delivered' | 'pending' | 'dead' | 'skipped'> {
  const { settings } = ctx;
  const claimed = await q.claim(ctx.db, deliveryId, settings.timeoutMs * 2 + 5000);
  if (!claimed) {
    await q.unqueueIfWaiting(ctx.db, deliveryId);
    return 'skipped';
  }
  const subscriber = await q.subscriberById(ctx.db, claimed.subscriber_id);
  if (!subscriber?.active) return 'skipped';
  const result: SendResult = await send(ctx.policy, {
    url: subscriber.url,
    secret: ctx.keystore.open(subscriber.sealed_secret),
    eventId: claimed.event_id,
    eventType: claimed.event_type,
    body: claimed.body,
    timeoutMs: settings.timeoutMs,
    now: ctx.clock.now(),
  });
  const outcome = await q.recordAttempt(ctx.db, deliveryId, result, settings.maxAttempts);
  if (outcome.next) await queueNext(outcome.next);
  if (outcome.status === 'pending') throw new Error(result.error ?? 'delivery failed');
  return outcome.status;
}

export function startDispatcher(ctx: WebhookContext): Dispatcher {
  const { settings, log } = ctx;
  const connection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
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

  const enqueue = async (items: { id: number; subscriber_id: string }[]) => {
    const bySubscriber = new Map<string, number[]>();
    for (const i of items) bySubscriber.set(i.subscriber_id, [...(bySubscriber.get(i.subscriber_id) ?? []), i.id]);
    for (const [subscriberId, ids] of bySubscriber) {
      const lane = lanes.get(subscriberId);
      if (!lane) continue;
      await lane.queue.addBulk(
        ids.map((id) => ({ name: JOB, data: { deliveryId: id }, opts: { ...jobOptions, jobId: jobId(id) } })),
      );
    }
  };

  const open = (subscriberId: string, concurrency: number): Lane => {
    const name = queueName(subscriberId);
    const queue = new Queue(name, { connection, prefix: settings.prefix });
    queue.on('error', () => {});
    const worker = new Worker(
      name,
      async (job: Job<{ deliveryId: number }>) => attempt(ctx, job.data.deliveryId, (next) => enqueue([next])),
      {
        connection: { url: settings.redisUrl, maxRetriesPerRequest: null },
        prefix: settings.prefix,
        concurrency,
        lockDuration: Math.max(15_000, settings.timeoutMs * 2),
        stalledInterval: 5_000,
      },
    );
    worker.on('error', () => {});
    worker.on('failed', (job, err) =>
      log.debug({ subscriberId, job: job?.id, err: { message: err.message } }, 'webhook attempt failed'),
    );
    return { queue, worker, concurrency };
  };

  const close = async (lane: Lane) => {
    await lane.worker.close();
    await lane.queue.close();
  };

  /** A lane per active subscriber; one whose concurrency changed is opened again. */
  const sync = async () => {
    const active = await q.activeSubscribers(ctx.db);
    const wanted = new Map(active.map((s) => [s.id, s.concurrency]));
    for (const [id, lane] of lanes) {
      if (wanted.get(id) !== lane.concurrency) {
        lanes.delete(id);
        await close(lane);
      }
    }
    for (const [id, concurrency] of wanted) if (!lanes.has(id)) lanes.set(id, open(id, concurrency));
  };

  const queueHeads = async (onlyUnqueued: boolean) => {
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
