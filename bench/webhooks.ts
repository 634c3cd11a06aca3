/**
 * Webhook deliveries per second to a local HTTP subscriber, through the whole pipeline (case records → outbox →
 * fan-out → a BullMQ job per delivery with the PostgreSQL claim, signed POST and outcome), against raw BullMQ jobs
 * doing the same signed POST with the same worker concurrency, in the same run (target ≥ 0.5×).
 * Needs PostgreSQL and Redis; run with `npx tsx bench/webhooks.ts [events] [cases] [concurrency]`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { appendCaseRecords } from '../server/records/append.js';
import { keystoreFromSecret } from '../server/records/keystore.js';
import { addressPolicy } from '../server/webhooks/address.js';
import type { WebhookContext } from '../server/webhooks/context.js';
import { startDispatcher } from '../server/webhooks/dispatcher.js';
import { send } from '../server/webhooks/send.js';
import { createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';
import { testSubscriber } from '../tests/helpers/subscriber.js';

const EVENTS = Number(process.argv[2] ?? 3000);
const CASES = Number(process.argv[3] ?? 300);
const CONCURRENCY = Number(process.argv[4] ?? 16);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${randomBytes(4).toString('hex')}`;
const SECRET = 'bench-secret-0123456789';

await ensureTemplate();
const database = await createTestDatabase(24);
const db = database.handle.db;
const subscriber = await testSubscriber();
const policy = addressPolicy('127.0.0.1/32');
const body = JSON.stringify({ id: 'x:1', type: 'bench', data: { text: '压测事件'.repeat(20) } });

async function waitUntil(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

try {
  // Baseline: raw BullMQ jobs, each the same signed POST, one worker with the same concurrency.
  const raw = new Queue('raw', { connection: { url: REDIS_URL }, prefix });
  const events = new QueueEvents('raw', { connection: { url: REDIS_URL }, prefix });
  await events.waitUntilReady();
  const before = subscriber.requests;
  const worker = new Worker(
    'raw',
    async () => {
      const r = await send(policy, {
        url: subscriber.url,
        secret: SECRET,
        eventId: 'x:1',
        eventType: 'bench',
        body,
        timeoutMs: 5000,
        now: new Date(),
      });
      if (!r.ok) throw new Error(r.error ?? 'failed');
    },
    { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix, concurrency: CONCURRENCY },
  );
  const rawStart = performance.now();
  for (let i = 0; i < EVENTS; i += 1000) {
    await raw.addBulk(
      Array.from({ length: Math.min(1000, EVENTS - i) }, (_, k) => ({
        name: 'post',
        data: { n: i + k },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  await waitUntil(() => subscriber.requests - before >= EVENTS);
  const rawSeconds = (performance.now() - rawStart) / 1000;
  await worker.close();
  await events.close();
  await raw.obliterate({ force: true });
  await raw.close();

  // The pipeline: cases with records (the trigger writes the outbox), one subscriber, the dispatcher.
  const dep = await db
    .insertInto('departments')
    .values({ code: 'BENCH', name: '压测机关', kind: 'agency', enforcement_staff_count: 100 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({
      department_id: dep.id,
      username: 'bench',
      display_name: '压测',
      password_hash: 'x',
      roles: ['officer'],
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const caseIds = Array.from({ length: CASES }, () => randomUUID());
  await db
    .insertInto('cases')
    .values(
      caseIds.map((id, i) => ({
        id,
        department_id: dep.id,
        case_number: `BENCH-${i}`,
        title: '压测案件',
        category: 'penalty' as const,
        facts: '{}',
        packet: '{}',
        review_mandatory: true,
        review_requested: true,
        catalogue_reason: '压测',
        status: 'reviewing' as const,
        submitted_by: user.id,
      })),
    )
    .execute();
  const keystore = keystoreFromSecret('bench-keystore-secret-0123456789');
  await db
    .insertInto('webhook_subscribers')
    .values({
      name: '压测订阅方',
      url: subscriber.url,
      events: ['*'],
      sealed_secret: keystore.seal(SECRET),
      concurrency: CONCURRENCY,
      created_by: user.id,
    })
    .execute();
  const perCase = Math.ceil(EVENTS / CASES);
  for (const caseId of caseIds) {
    await db.transaction().execute((trx) =>
      appendCaseRecords(
        trx,
        caseId,
        Array.from({ length: perCase }, (_, n) => ({
          at: new Date().toISOString(),
          actorId: null,
          type: 'bench.event',
          payload: { n, text: '压测事件'.repeat(20) },
        })),
      ),
    );
  }
  const total = perCase * CASES;
  const ctx: WebhookContext = {
    db,
    keystore,
    clock: { now: () => new Date() },
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    policy,
    settings: {
      timeoutMs: 5000,
      maxAttempts: 5,
      backoffMs: 100,
      pollMs: 50,
      reconcileMs: 60_000,
      redisUrl: REDIS_URL,
      prefix,
    },
  };
  const start = subscriber.requests;
  const pipelineStart = performance.now();
  const dispatcher = startDispatcher(ctx);
  await waitUntil(() => subscriber.requests - start >= total);
  const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
  await dispatcher.stop();
  const undelivered = await db
    .selectFrom('webhook_deliveries')
    .select(db.fn.countAll<string>().as('n'))
    .where('status', '<>', 'delivered')
    .executeTakeFirstOrThrow();

  const rawRate = EVENTS / rawSeconds;
  const rate = total / pipelineSeconds;
  console.log(`raw BullMQ jobs (same signed POST, concurrency ${CONCURRENCY}): ${rawRate.toFixed(0)} per second`);
  console.log(
    `webhooks (${total} events over ${CASES} cases, in order per case, concurrency ${CONCURRENCY}): ${rate.toFixed(0)} per second` +
      ` (${undelivered.n} not yet marked delivered when the last arrived)`,
  );
  console.log(`ratio ${(rate / rawRate).toFixed(2)} (target ≥ 0.5)`);
} finally {
  await subscriber.close();
  await database.drop();
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
