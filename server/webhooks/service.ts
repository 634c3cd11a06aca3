import { randomBytes } from 'node:crypto';
import { AppError } from '../http/errors.js';
import { AddressRefused } from './address.js';
import type { WebhookContext } from './context.js';
import * as q from './queries.js';
import type { DeliveryStatus, SubscriberRow } from './tables.js';

export interface RegisterInput {
  name: string;
  url: string;
  events: string[];
  secret?: string;
  concurrency?: number;
}

export function subscriberJson(s: SubscriberRow) {
  return {
    id: s.id,
    name: s.name,
    url: s.url,
    events: s.events,
    concurrency: s.concurrency,
    active: s.active,
    createdAt: s.created_at.toISOString(),
  };
}

/** The URL a subscriber may be registered with: http(s), no credentials, at an address the policy allows. */
export async function checkUrl(ctx: Pick<WebhookContext, 'policy'>, raw: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(400, 'VALIDATION_FAILED', '回调地址格式不正确', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(400, 'VALIDATION_FAILED', '回调地址须以 http:// 或 https:// 开头', { field: 'url' });
  }
  if (url.username || url.password) {
    throw new AppError(400, 'VALIDATION_FAILED', '回调地址不得含用户名或密码', { field: 'url' });
  }
  try {
    await ctx.policy.resolve(url.hostname);
  } catch (err) {
    if (err instanceof AddressRefused) throw new AppError(400, 'ADDRESS_REFUSED', err.message, { field: 'url' });
    throw err;
  }
  return url.toString();
}

/** Registers a subscriber; a secret not given is generated and returned this once (only its sealed form is kept). */
export async function registerSubscriber(ctx: WebhookContext, actorId: string, input: RegisterInput) {
  const url = await checkUrl(ctx, input.url);
  const secret = input.secret ?? randomBytes(32).toString('hex');
  const row = await q.insertSubscriber(ctx.db, {
    name: input.name,
    url,
    events: [...new Set(input.events)],
    sealed_secret: ctx.keystore.seal(secret),
    concurrency: input.concurrency ?? 4,
    created_by: actorId,
  });
  return { ...subscriberJson(row), ...(input.secret ? {} : { secret }) };
}

export async function requireSubscriber(ctx: Pick<WebhookContext, 'db'>, id: string) {
  const s = await q.subscriberById(ctx.db, id);
  if (!s) throw new AppError(404, 'NOT_FOUND', '没有这个订阅方');
  return s;
}

export async function setActive(ctx: Pick<WebhookContext, 'db'>, id: string, active: boolean) {
  const s = await q.setSubscriberActive(ctx.db, id, active);
  if (!s) throw new AppError(404, 'NOT_FOUND', '没有这个订阅方');
  return subscriberJson(s);
}

export async function listDeliveries(
  ctx: Pick<WebhookContext, 'db'>,
  subscriberId: string,
  opts: { status?: DeliveryStatus; limit: number; before?: number },
) {
  await requireSubscriber(ctx, subscriberId);
  const rows = await q.deliveriesOf(ctx.db, subscriberId, opts);
  return rows.map((d) => ({
    id: Number(d.id),
    eventId: d.event_id,
    eventType: d.event_type,
    caseId: d.case_id,
    seq: d.seq,
    status: d.status,
    waiting: Boolean(d.waiting),
    attempts: d.attempts,
    lastStatus: d.last_status,
    lastResponse: d.last_response,
    lastError: d.last_error,
    lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
  }));
}

export async function listAttempts(ctx: Pick<WebhookContext, 'db'>, subscriberId: string, deliveryId: number) {
  const rows = await q.attemptsOf(ctx.db, subscriberId, deliveryId);
  return rows.map((a) => ({
    at: a.at.toISOString(),
    statusCode: a.status_code,
    response: a.response,
    error: a.error,
    durationMs: a.duration_ms,
  }));
}

/** Replay by hand: the delivery goes again from its first attempt, with the same event id and body. */
export async function replay(ctx: Pick<WebhookContext, 'db'>, subscriberId: string, deliveryId: number) {
  const row = await q.resetForReplay(ctx.db, subscriberId, deliveryId);
  if (!row) throw new AppError(404, 'NOT_FOUND', '没有这次投递');
  return { id: Number(row.id), status: row.status };
}
