import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { sm3Hex } from '../records/sm3.js';
import * as q from './queries.js';
import { type Item, READERS } from './rows.js';

export interface Consumer {
  id: string;
  name: string;
  personalData: boolean;
}

const TOKEN = /^fxp_[0-9a-f]{64}$/;
export const tokenHash = (token: string) => sm3Hex(`fashen-export-token:${token}`);

/** The consumer a bearer token belongs to; 401 for a missing, malformed, unknown or revoked one. */
export async function consumerOf(db: Kysely<DB>, authorization: string | undefined): Promise<Consumer> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token || !TOKEN.test(token)) {
    throw new AppError(401, 'UNAUTHENTICATED', '请以数据共享令牌调用（Authorization: Bearer fxp_…）');
  }
  const c = await q.consumerByTokenHash(db, tokenHash(token));
  if (!c) throw new AppError(401, 'UNAUTHENTICATED', '数据共享令牌无效或已吊销');
  return { id: c.id, name: c.name, personalData: c.personal_data };
}

/** A new consumer and its token, shown this once: only the token's SM3 hash is stored. */
export async function issueConsumer(db: Kysely<DB>, actorId: string, input: { name: string; personalData: boolean }) {
  const token = `fxp_${randomBytes(32).toString('hex')}`;
  const row = await q.insertConsumer(db, {
    name: input.name,
    token_hash: tokenHash(token),
    personal_data: input.personalData,
    created_by: actorId,
  });
  return { ...consumerJson(row), token };
}

export function consumerJson(c: Awaited<ReturnType<typeof q.listConsumers>>[number]) {
  return {
    id: c.id,
    name: c.name,
    personalData: c.personal_data,
    createdAt: c.created_at.toISOString(),
    revokedAt: c.revoked_at?.toISOString() ?? null,
  };
}

/**
 * The incremental feed: changes after `cursor` in sequence order, each as the row's state now (the last change
 * of a row in a page stands for the others). The cursor is the last sequence number read; sequence numbers
 * are given at commit visibility, so no change committed out of order is ever behind a cursor already handed out.
 */
export async function feed(db: Kysely<DB>, consumer: Consumer, cursor: number, limit: number) {
  await q.sequenceChanges(db);
  const changes = await q.changesAfter(db, cursor, limit);
  const last = new Map<string, (typeof changes)[number]>();
  for (const c of changes) {
    const key = `${c.entity}:${c.row_id}`;
    last.delete(key);
    last.set(key, c);
  }
  const idsOf = new Map<string, string[]>();
  for (const c of last.values()) if (!c.deleted) idsOf.set(c.entity, [...(idsOf.get(c.entity) ?? []), c.row_id]);
  const found = new Map<string, Item[]>();
  for (const [entity, ids] of idsOf) {
    const reader = READERS[entity];
    if (!reader) continue;
    for (const item of await reader(db, ids, consumer.personalData)) {
      const key = `${entity}:${item.id}`;
      found.set(key, [...(found.get(key) ?? []), item]);
    }
  }
  const items: Item[] = [];
  for (const [key, c] of last) {
    const seq = String(c.seq);
    const rows = found.get(key);
    if (rows) for (const r of rows) items.push({ ...r, seq });
    // A deleted row, or an officer who is no longer one, leaves the consumer's copy; other rows not exported
    // (a task of a process that serves no case) are not mentioned.
    else if (c.deleted || c.entity === 'officer') items.push({ seq, entity: c.entity, id: c.row_id, op: 'delete' });
  }
  const next = changes.length ? Number(changes[changes.length - 1].seq) : cursor;
  return { items, cursor: String(next), hasMore: changes.length === limit };
}

/**
 * The full export of one entity, page by page in id order. `feedCursor` is where the feed stands now: a consumer
 * keeps the one from its first page and follows the feed from there, so nothing changed meanwhile is missed.
 */
export async function fullExport(
  db: Kysely<DB>,
  consumer: Consumer,
  entity: string,
  after: string | undefined,
  limit: number,
) {
  await q.sequenceChanges(db);
  const feedCursor = await q.headSeq(db);
  const reader = READERS[entity === 'decision' ? 'case' : entity];
  const rows = await reader(db, null, consumer.personalData, after, limit);
  const items = rows.filter((r) => r.entity === entity);
  return {
    items,
    next: rows.length === limit ? rows[rows.length - 1].id : null,
    feedCursor: String(feedCursor),
  };
}
