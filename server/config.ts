import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/** An IPv4 or IPv6 address, optionally a CIDR range, as TRUST_PROXY lists them. */
const PROXY_ADDRESS = '(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(/\\d{1,3})?';

/** Every setting the service reads, with its default. Documented in README.md. */
const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATA_DIR: Type.String({ default: './data' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  QUEUE_PREFIX: Type.String({ pattern: '^[a-zA-Z0-9_-]+$', default: 'fashen' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  // auto: readable lines at a terminal outside production, JSON otherwise (see infra/logger.ts).
  LOG_FORMAT: Type.Union([Type.Literal('auto'), Type.Literal('pretty'), Type.Literal('json')], { default: 'auto' }),
  SESSION_TTL_MINUTES: Type.Integer({ minimum: 1, default: 480 }),
  // Sessions a server has checked, kept while it hears the database's notices of changes (identity/session-cache.ts);
  // 0 = read every request's session (e.g. behind a pooler in transaction mode, where LISTEN hears nothing).
  SESSION_CACHE_SIZE: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 20_000 }),
  COOKIE_SECURE: Type.Boolean({ default: false }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, default: 5 }),
  LOGIN_LOCK_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  STEP_BUDGET: Type.Integer({ minimum: 10, default: 500 }),
  // Engines kept in memory per process after a command so the next one on the instance skips recovery (0: none),
  // each let go after ENGINE_CACHE_IDLE_SECONDS unused (server/engine/warm-engines.ts).
  ENGINE_CACHE_SIZE: Type.Integer({ minimum: 0, maximum: 100_000, default: 200 }),
  ENGINE_CACHE_IDLE_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 30 }),
  // How far V8 lets the heap grow past what the last full collection kept (server/infra/heap.ts); 0: V8's own.
  HEAP_GROWTH_PERCENT: Type.Integer({ minimum: 0, maximum: 400, default: 50 }),
  // At most an hour: timers due more than 6 h out rely on it after a crash (engine/materialize.ts).
  RECONCILE_INTERVAL_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000 }),
  // Jobs in flight per worker: a timer job mostly waits on PostgreSQL and Redis round trips, so a burst of deadlines
  // needs more in flight than the pool has connections (bench/timers: 8 fell behind 10,000 deadlines a minute).
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, default: 32 }),
  BPMN_MAX_BYTES: Type.Integer({ minimum: 1024, default: 2 * 1024 * 1024 }),
  TIMER_MIN_CYCLE_SECONDS: Type.Integer({ minimum: 60, default: 3600 }),
  ATTACHMENT_MAX_BYTES: Type.Integer({ minimum: 1024, default: 2 * 1024 * 1024 * 1024 }),
  ATTACHMENT_DOCUMENT_MAX_BYTES: Type.Integer({ minimum: 1024, default: 100 * 1024 * 1024 }),
  ATTACHMENT_IMAGE_MAX_BYTES: Type.Integer({ minimum: 1024, default: 50 * 1024 * 1024 }),
  ATTACHMENT_AUDIO_MAX_BYTES: Type.Integer({ minimum: 1024, default: 500 * 1024 * 1024 }),
  ATTACHMENT_STORAGE: Type.Union([Type.Literal('fs'), Type.Literal('s3')], { default: 'fs' }),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3 })),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String()),
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: true }),
  KEYSTORE_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  RECORD_SIGNING_KEY: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  RECORD_TRUSTED_KEYS: Type.Optional(Type.String({ pattern: '^(04[0-9a-fA-F]{128})(,\\s*04[0-9a-fA-F]{128})*$' })),
  CHECKPOINT_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 300_000 }),
  // Which reverse proxies' X-Forwarded-For/-Proto/-Host to believe: `true` (any), a hop count, or addresses
  // and CIDR ranges separated by commas. Unset: none, so the client address is the connection's.
  TRUST_PROXY: Type.Optional(Type.String({ pattern: `^(true|[1-9]|${PROXY_ADDRESS}(\\s*,\\s*${PROXY_ADDRESS})*)$` })),
  // Webhooks: each attempt's time limit, attempts before a delivery goes to the dead letters, the first retry's
  // delay (doubling each time), how often new events are looked for, and the private or loopback networks
  // (CIDR, comma-separated) subscribers may nevertheless be at; every other private address is refused.
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  WEBHOOK_BACKOFF_MS: Type.Integer({ minimum: 10, default: 30_000 }),
  WEBHOOK_POLL_MS: Type.Integer({ minimum: 50, default: 1000 }),
  WEBHOOK_ALLOWED_NETWORKS: Type.Optional(Type.String({ pattern: `^${PROXY_ADDRESS}(\\s*,\\s*${PROXY_ADDRESS})*$` })),
  // The address the public reaches the portal at (behind a proxy the request's own host may be internal).
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*[^\\s?#/])?$' })),
});

export type Config = Static<typeof ConfigSchema> & { dataDir: string };

/** TRUST_PROXY as Fastify's `trustProxy` option (a hop count as a function: Fastify's types take no number). */
export function trustProxyOption(
  value: string | undefined,
): boolean | string[] | ((a: string, hop: number) => boolean) {
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((a) => a.trim());
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates configuration from an environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const merged = { ...(withDefaults as object), ...overrides };
  if (!Value.Check(ConfigSchema, merged)) {
    const problems = [...Value.Errors(ConfigSchema, merged)].map(
      (e) => `${e.instancePath.replace(/^\//, '') || '(root)'} ${e.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const config = merged as Static<typeof ConfigSchema>;
  return { ...config, dataDir: path.resolve(config.DATA_DIR) };
}
