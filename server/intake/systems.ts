import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import { hashToken } from '../identity/passwords.js';
import type { Actor } from '../identity/service.js';
import * as q from './queries.js';

/** The header a system may send its key in, besides `Authorization: Bearer`. */
export const KEY_HEADER = 'x-fashen-intake-key';

export async function registerSystem(db: Database, actor: Actor, v: { code: string; name: string }) {
  if (await q.findSystem(db, actor.departmentId, { code: v.code })) {
    throw new AppError(409, 'CONFLICT', `接入系统代码 ${v.code} 已登记`, { field: 'code' });
  }
  return db
    .transaction()
    .execute((trx) => q.insertSystem(trx, { ...v, departmentId: actor.departmentId, by: actor.id }));
}

export async function listSystems(db: Database, actor: Actor) {
  const systems = await q.listSystems(db, actor.departmentId);
  const keys = await q.listKeys(
    db,
    systems.map((s) => s.id),
  );
  return systems.map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    createdAt: s.created_at.toISOString(),
    keys: keys
      .filter((k) => k.system_id === s.id)
      .map((k) => ({
        id: k.id,
        prefix: k.prefix,
        createdAt: k.created_at.toISOString(),
        revokedAt: k.revoked_at?.toISOString() ?? null,
      })),
  }));
}

async function ownSystem(db: Database, actor: Actor, systemId: string) {
  const s = await q.findSystem(db, actor.departmentId, { id: systemId });
  if (!s) throw new AppError(404, 'NOT_FOUND', '接入系统不存在');
  return s;
}

/** A new key: 256 random bits, shown once; only its SHA-256 is stored, like a session token. */
export async function issueKey(db: Database, actor: Actor, systemId: string) {
  const s = await ownSystem(db, actor, systemId);
  const key = `fik_${randomBytes(32).toString('base64url')}`;
  const row = await q.insertKey(db, {
    systemId: s.id,
    keyHash: hashToken(key),
    prefix: key.slice(0, 10),
    by: actor.id,
  });
  return { id: row.id, key, prefix: row.prefix, createdAt: row.created_at.toISOString() };
}

export async function revokeKey(db: Database, actor: Actor, systemId: string, keyId: string, at: Date) {
  const s = await ownSystem(db, actor, systemId);
  if (!(await q.revokeKey(db, s.id, keyId, actor.id, at))) {
    throw new AppError(404, 'NOT_FOUND', '密钥不存在或已吊销');
  }
}

export interface IntakeCaller {
  actor: Actor;
  systemId: string;
  code: string;
  /** The source the lifecycle records the system's events under. */
  source: string;
}

/** The system a request's key acts for, which must be the system its path names (in the key's department). */
export async function intakeCaller(db: Database, request: FastifyRequest, system: string): Promise<IntakeCaller> {
  const header = request.headers[KEY_HEADER];
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const key = bearer ?? (typeof header === 'string' ? header.trim() : undefined);
  if (!key) throw new AppError(401, 'UNAUTHENTICATED', '缺少接入密钥（Authorization: Bearer 或 X-Fashen-Intake-Key）');
  const k = await q.findKey(db, hashToken(key));
  if (!k) throw new AppError(401, 'UNAUTHENTICATED', '接入密钥无效或已吊销');
  if (k.code !== system) throw new AppError(404, 'NOT_FOUND', `接入系统 ${system} 不存在`, { field: 'system' });
  return {
    systemId: k.system_id,
    code: k.code,
    source: `intake:${k.code}`,
    actor: {
      id: k.user_id,
      username: k.username,
      displayName: k.display_name,
      departmentId: k.department_id,
      departmentCode: k.department_code,
      departmentName: k.department_name,
      roles: ['officer'],
      sessionId: k.key_id,
    },
  };
}
