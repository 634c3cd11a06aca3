import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../database/schema.js';
import type { Clock } from '../infra/clock.js';
import type { Keystore } from '../records/keystore.js';
import { type AddressPolicy, addressPolicy } from './address.js';

export interface WebhookSettings {
  timeoutMs: number;
  maxAttempts: number;
  /** The first retry's delay; each further retry waits twice as long (BullMQ's exponential backoff). */
  backoffMs: number;
  pollMs: number;
  reconcileMs: number;
  redisUrl: string;
  prefix: string;
}

/** What registering subscribers and delivering to them needs. */
export interface WebhookContext {
  db: Kysely<DB>;
  keystore: Pick<Keystore, 'seal' | 'open'>;
  clock: Clock;
  log: FastifyBaseLogger;
  policy: AddressPolicy;
  settings: WebhookSettings;
}

export function webhookContext(deps: {
  config: Config;
  db: Kysely<DB>;
  keystore: Pick<Keystore, 'seal' | 'open'>;
  clock: Clock;
  log: FastifyBaseLogger;
}): WebhookContext {
  const { config } = deps;
  return {
    db: deps.db,
    keystore: deps.keystore,
    clock: deps.clock,
    log: deps.log,
    policy: addressPolicy(config.WEBHOOK_ALLOWED_NETWORKS),
    settings: {
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: config.WEBHOOK_BACKOFF_MS,
      pollMs: config.WEBHOOK_POLL_MS,
      reconcileMs: config.RECONCILE_INTERVAL_MS,
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
    },
  };
}
