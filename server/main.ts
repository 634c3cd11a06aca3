import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.js';
import { assemble, type Core } from './assembly.js';
import { type Config, loadConfig } from './config.js';
import { connectDatabase, type DatabaseHandle } from './database/connect.js';
import { migrateToLatest } from './database/migrate.js';
import { loadDemoCases } from './demo/cases.js';
import { loadDemoData } from './demo/load.js';
import { deliverOutbox } from './engine/outbox.js';
import { handleTimerJob, reconcileTimers } from './engine/timer-jobs.js';
import { purgeKeys } from './idempotency/queries.js';
import { limitHeapGrowth } from './infra/heap.js';
import { createLogger } from './infra/logger.js';
import { openRedis } from './infra/redis.js';
import { JobQueues } from './jobs/queues.js';
import { every, startWorkers } from './jobs/worker.js';
import { importLibrary } from './laws/load.js';
import { createSegmenter, type Segmenter } from './laws/segment.js';
import { sequenceAndCheckpoint } from './records/tree.js';
import { catchUp } from './similar/sync.js';
import { startDispatcher } from './webhooks/dispatcher.js';

export type Role = 'serve' | 'worker' | 'all';

/**
 * A worker's watch on the holiday calendar. A year may be loaded by the service or by `fashen calendar load`,
 * or while no worker ran: deadlines counted Monday–Friday for lack of it are recounted once at start, and
 * whenever the table changes the calendar's one listener (registered by the assembly) recounts them. The
 * recounts are idempotent, so several workers may run them.
 */
function watchCalendar(core: Core, intervalMs: number) {
  let started = false;
  return every(
    intervalMs,
    async () => {
      if (started) return core.calendar.refresh(core.database.db);
      started = true;
      return core.recountProvisional();
    },
    core.log,
  );
}

export class StartupError extends Error {}

export interface Running {
  url?: string;
  stop(): Promise<void>;
}

export async function openDatabase(config: Config, log: FastifyBaseLogger): Promise<DatabaseHandle> {
  const handle = await connectDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolSize: config.DATABASE_POOL_SIZE,
    onIdleError: (err) => log.warn({ err }, 'idle database connection lost'),
  });
  const applied = await migrateToLatest(handle.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  return handle;
}

/**
 * Starts this process in one role: the HTTP service, the job worker, or both (the default for `npm start`,
 * and the only choice with the embedded database, which one process at a time can open).
 */
export async function start(role: Role, opts: { demo?: boolean; config?: Config } = {}): Promise<Running> {
  const config = opts.config ?? loadConfig();
  limitHeapGrowth(config.HEAP_GROWTH_PERCENT);
  const log = createLogger(config);
  if (!config.DATABASE_URL && role !== 'all') {
    throw new StartupError('The embedded database (no DATABASE_URL) runs in one process: use `fashen start`.');
  }
  // Redis may be away: the process starts all the same (degraded), and delivers once it is back.
  const redis = await openRedis(config.REDIS_URL, log).catch((err: Error) => {
    throw new StartupError(err.message);
  });
  const database = await openDatabase(config, log);
  const queues = new JobQueues(config.REDIS_URL, config.QUEUE_PREFIX, log);
  void queues.ready(0);
  const core = await assemble({ config, database, queues, log });
  const demo = opts.demo ? await loadDemoData(core, { onlyIfEmpty: true }) : null;
  if (demo?.loaded) await loadDemoCases(core);

  const stops: (() => Promise<void>)[] = [];
  let url: string | undefined;
  let warmSuggestions: (() => Promise<void>) | null = null;
  // One jieba dictionary per process (~40 MB): the worker's similar-cases indexing shares the app's when both run.
  let segmenter: Segmenter | undefined;
  if (role === 'serve' || role === 'all') {
    const app = await buildApp({ config, database, redis, queues, ownsConnections: false, core, log });
    url = await app.listen({ port: config.PORT, host: config.HOST });
    stops.push(() => app.close());
    // The article suggestion index (精准推送) takes seconds to build over the whole library: build it once the
    // library is in, so the officer's first suggestion does not wait for it.
    warmSuggestions = () => app.lawSuggest.warm();
    segmenter = app.segmenter;
  }
  if (role === 'worker' || role === 'all') {
    const ctx = core.runtime;
    const workers = startWorkers({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      handlers: { 'timer.fire': (job, token) => handleTimerJob(ctx, job, token) },
      log,
    });
    const calendarWatch = watchCalendar(core, config.RECONCILE_INTERVAL_MS);
    const relay = every(5_000, () => deliverOutbox(ctx), log);
    // Each run checks the timers due within two intervals (and every overdue one): a lost job is back before
    // its timer falls due, and a run costs what the coming deadlines cost, not all 100,000 pending ones.
    const horizon = 2 * config.RECONCILE_INTERVAL_MS;
    const reconcile = every(config.RECONCILE_INTERVAL_MS, () => reconcileTimers(ctx, 500, horizon), log);
    // Signed checkpoints of the record tree; several workers take turns under an advisory lock.
    const checkpoint = every(
      config.CHECKPOINT_INTERVAL_MS,
      () => sequenceAndCheckpoint(database.db, core.records.systemKey, core.clock.now()),
      log,
    );
    const keys = every(3_600_000, () => purgeKeys(database.db, core.clock.now()), log);
    // The similar-cases index (同案同罚) takes in decided cases here, in the background: a search takes in only the
    // few decided since the last one (server/similar/service.ts), so a backlog (a database upgraded with many
    // decided cases: a million in ~100 s of work) never lands on a user's request. 10,000 a run (~1 s), so that
    // stopping the worker never waits long for it. The dictionary loads on the first case to index.
    const seg = segmenter ?? createSegmenter();
    const similar = every(10_000, () => catchUp(database.db, seg, 10_000), log);
    // Webhooks: a queue and worker per subscriber, fed from the outbox the case record writes.
    const webhooks = startDispatcher(core.webhooks);
    stops.push(async () => {
      await webhooks.stop();
      await Promise.all([
        relay.stop(),
        reconcile.stop(),
        checkpoint.stop(),
        calendarWatch.stop(),
        keys.stop(),
        similar.stop(),
      ]);
      await workers.close();
    });
  }
  if (demo?.loaded) {
    log.info('demo data loaded');
  }
  // The demo needs the law library (search, citation check): loaded once, on the first start of a database,
  // after the service answers (it takes 20-30 s; law search is empty until then).
  const laws = opts.demo
    ? importLibrary(database.db, { onlyIfEmpty: true }).then(
        (r) => {
          if (r) log.info({ ...r, failures: r.failures.length }, 'law library loaded');
        },
        (err: Error) => log.error({ err }, 'law library import failed; run `fashen laws import`'),
      )
    : Promise.resolve();
  let stopping = false;
  laws
    .then(() => warmSuggestions?.())
    .catch((err: Error) => {
      if (!stopping) log.warn({ err }, 'article suggestion index not built; it is built on first use');
    });
  return {
    url,
    async stop() {
      stopping = true;
      await laws;
      for (const s of stops) await s();
      await queues.close();
      redis.disconnect();
      await database.close();
    },
  };
}
