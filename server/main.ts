import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { buildApp } from './app.js';
import { createCalendarService } from './calendar/service.js';
import { caseDocuments } from './cases/documents-adapter.js';
import { registerCaseServices } from './cases/services.js';
import { type Config, loadConfig } from './config.js';
import { connectDatabase, type DatabaseHandle } from './database/connect.js';
import { migrateToLatest } from './database/migrate.js';
import { loadDemoData } from './demo/load.js';
import { createTemplateSource } from './documents/template-source.js';
import { systemClock } from './infra/clock.js';
import { assertNoEviction, connectRedis } from './infra/redis.js';
import { JobQueues } from './jobs/queues.js';
import { every, startWorkers } from './jobs/worker.js';
import { recountProvisionalDisclosures } from './publicity/recount.js';
import { createRecordsContext } from './records/context.js';
import { sequenceAndCheckpoint } from './records/tree.js';
import type { RuntimeContext } from './engine/context.js';
import { deliverOutbox } from './engine/outbox.js';
import { createRuntimeContext } from './tasks/plugin.js';
import { handleTimerJob, reconcileTimers } from './engine/timer-jobs.js';
import { recountProvisionalRuntime } from './engine/working-day-timers.js';

export type Role = 'serve' | 'worker' | 'all';

/**
 * A worker's watch on the holiday calendar. A year may be loaded by the service or by `fashen calendar load`,
 * or while no worker ran: deadlines counted Monday–Friday for lack of it are recounted once at start and
 * whenever the table changes. The recounts are idempotent, so several workers may run them.
 */
function watchCalendar(ctx: RuntimeContext, intervalMs: number) {
  const recount = async () => {
    const { tasks, timers } = await recountProvisionalRuntime(ctx);
    const disclosures = await recountProvisionalDisclosures(ctx);
    if (tasks || timers || disclosures) ctx.log.info({ tasks, timers, disclosures }, 'provisional deadlines recounted');
  };
  ctx.calendar.onYearLoaded(recount);
  let started = false;
  return every(
    intervalMs,
    async () => {
      if (started) return ctx.calendar.refresh(ctx.db);
      started = true;
      return recount();
    },
    ctx.log,
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
  const log = pino({ level: config.LOG_LEVEL }) as FastifyBaseLogger;
  if (!config.DATABASE_URL && role !== 'all') {
    throw new StartupError('The embedded database (no DATABASE_URL) runs in one process: use `fashen start`.');
  }
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  try {
    redis = await connectRedis(config.REDIS_URL);
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
  try {
    await assertNoEviction(redis);
  } catch (err) {
    redis.disconnect();
    throw new StartupError((err as Error).message);
  }
  const database = await openDatabase(config, log);
  const queues = new JobQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  const demo = opts.demo ? await loadDemoData(database.db, { onlyIfEmpty: true }) : null;

  const stops: (() => Promise<void>)[] = [];
  let url: string | undefined;
  if (role === 'serve' || role === 'all') {
    const app = await buildApp({ config, database, redis, queues, ownsConnections: false });
    url = await app.listen({ port: config.PORT, host: config.HOST });
    stops.push(() => app.close());
  }
  if (role === 'worker' || role === 'all') {
    const calendar = createCalendarService();
    await calendar.loadCalendar(database.db);
    const ctx = createRuntimeContext({
      db: database.db,
      calendar,
      queues,
      clock: systemClock,
      log,
      stepBudget: config.STEP_BUDGET,
    });
    const records = await createRecordsContext({ config, db: database.db, clock: systemClock });
    // Timers can move a case into service tasks (e.g. withdrawal after the completion limit): same whitelist.
    registerCaseServices(ctx.services, {
      documents: caseDocuments(createTemplateSource(), records.signer),
      calendar,
      clock: systemClock,
    });
    const workers = startWorkers({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      handlers: { 'timer.fire': (job, token) => handleTimerJob(ctx, job, token) },
      log,
    });
    const calendarWatch = watchCalendar(ctx, config.RECONCILE_INTERVAL_MS);
    const relay = every(5_000, () => deliverOutbox(ctx), log);
    const reconcile = every(config.RECONCILE_INTERVAL_MS, () => reconcileTimers(ctx), log);
    // Signed checkpoints of the record tree; several workers take turns under an advisory lock.
    const checkpoint = every(
      config.CHECKPOINT_INTERVAL_MS,
      () => sequenceAndCheckpoint(database.db, records.systemKey, systemClock.now()),
      log,
    );
    stops.push(async () => {
      await Promise.all([relay.stop(), reconcile.stop(), checkpoint.stop(), calendarWatch.stop()]);
      await workers.close();
    });
  }
  if (demo?.loaded) {
    log.info('demo data loaded');
  }
  return {
    url,
    async stop() {
      for (const s of stops) await s();
      await queues.close();
      redis.disconnect();
      await database.close();
    },
  };
}
