import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {}

/** Opens a Redis connection and proves it answers; fails fast instead of retrying forever. */
export async function connectRedis(url: string, opts: { timeoutMs?: number } = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: opts.timeoutMs ?? 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {
    // Connection errors surface through connect()/ping() below; without a listener ioredis logs them raw.
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(
      `Redis is not reachable at ${url} (${(err as Error).message}). Start it (e.g. \`redis-server --daemonize yes\`) or set REDIS_URL.`,
    );
  }
  // From here on, reconnect on blips like any long-lived client.
  redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  redis.options.maxRetriesPerRequest = 20;
  return redis;
}

export interface RedisLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The service's own Redis client, for a process that must run whether or not Redis is up (PostgreSQL is the
 * source of truth; Redis only delivers). It waits up to `timeoutMs` for a first connection; if Redis does not
 * answer, says so in one line and goes on, reconnecting with backoff for ever and saying when it is back. A
 * Redis that answers with an eviction policy that would lose jobs is refused at start (a configuration
 * mistake, not an outage), and reported if it turns up later.
 */
export async function openRedis(url: string, log: RedisLog, opts: { timeoutMs?: number } = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: opts.timeoutMs ?? 3000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  let down = false;
  redis.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn(
      { redisUrl: url, err: { message: err.message } },
      `Redis 不可达（${url}）：服务照常运行，命令照常提交到 PostgreSQL，定时任务待 Redis 恢复后自动投递`,
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ redisUrl: url }, 'Redis 已恢复');
    assertNoEviction(redis).catch((err) => log.error({ err: { message: (err as Error).message } }, 'Redis 配置错误'));
  });
  const connected = await redis.connect().then(
    () => true,
    () => false,
  );
  if (connected) {
    try {
      await assertNoEviction(redis);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }
  return redis;
}

/** BullMQ loses jobs if Redis evicts keys; refuse to run unless the policy is noeviction. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; Fashen needs "noeviction" so that queued deadlines are never evicted. Run: redis-cli CONFIG SET maxmemory-policy noeviction`,
    );
  }
}
