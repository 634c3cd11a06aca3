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
