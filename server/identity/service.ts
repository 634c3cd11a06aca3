import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { clearFailures, countFailure, failuresOf } from './login-failures.js';
import { hashPassword, hashToken, newSessionToken, verifyPassword } from './passwords.js';
import * as q from './queries.js';
import type { Role } from './roles.js';
import type { SessionCache } from './session-cache.js';
import type { DepartmentsTable } from './tables.js';
import { assignUserUnit } from './units.js';

/** Who is calling: the authenticated user as every capability sees them. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  departmentCode: string;
  departmentName: string;
  roles: Role[];
  sessionId: string;
}

export interface IdentityDeps {
  db: Database;
  sessionTtlMinutes: number;
  maxFailures: number;
  lockSeconds: number;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

/** Supervisors (justice bureau) and admins read across departments; everyone else sees their own. */
export function readsAllDepartments(actor: Actor): boolean {
  return hasRole(actor, 'supervisor', 'admin');
}

export function assertDepartmentAccess(actor: Actor, departmentId: string): void {
  if (actor.departmentId !== departmentId && !readsAllDepartments(actor)) {
    throw new AppError(403, 'FORBIDDEN', '无权访问其他执法机关的数据');
  }
}

/** Password login. Failed attempts are counted per username and per address (in PostgreSQL) and locked out. */
export async function login(deps: IdentityDeps, username: string, password: string, ip: string) {
  const name = username.trim().toLowerCase();
  const [userKey, ipKey] = [`user:${name}`, `ip:${ip}`];
  const now = new Date();
  const counts = await failuresOf(deps.db, [userKey, ipKey], now);
  const userFails = counts.get(userKey)?.failures ?? 0;
  const ipFails = counts.get(ipKey)?.failures ?? 0;
  if (userFails >= deps.maxFailures || ipFails >= deps.maxFailures * 4) {
    const lapse = counts.get(userFails >= deps.maxFailures ? userKey : ipKey)?.expiresAt ?? now;
    const ttl = Math.max(Math.ceil((lapse.getTime() - now.getTime()) / 1000), 1);
    throw new AppError(429, 'TOO_MANY_ATTEMPTS', `登录失败次数过多，请 ${Math.ceil(ttl / 60)} 分钟后再试`, {
      retryAfterSeconds: ttl,
    });
  }
  const user = await q.findUserForLogin(deps.db, name);
  const ok = user?.active === true && (await verifyPassword(user.password_hash, password));
  if (!user || !ok) {
    await countFailure(deps.db, [userKey, ipKey], deps.lockSeconds, now);
    throw new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');
  }
  await clearFailures(deps.db, userKey);
  const { token, tokenHash } = newSessionToken();
  const expiresAt = new Date(Date.now() + deps.sessionTtlMinutes * 60_000);
  await q.insertSession(deps.db, user.id, tokenHash, expiresAt);
  return { token, expiresAt };
}

/** A session with its user and department, as authenticate reads it. */
export type SessionRow = NonNullable<Awaited<ReturnType<typeof q.findSessionByTokenHash>>>;

/**
 * Resolves a bearer token or cookie to an actor; distinguishes an expired session from a bad token. With
 * `sessions`, a session this server checked before is not read again (see SessionCache).
 */
export async function authenticate(db: Database, token: string, sessions?: SessionCache<SessionRow>): Promise<Actor> {
  const tokenHash = hashToken(token);
  const read = () => q.findSessionByTokenHash(db, tokenHash);
  const row = sessions ? await sessions.get(tokenHash, read) : await read();
  if (!row || row.revoked_at || !row.active) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
  if (row.expires_at.getTime() <= Date.now()) throw new AppError(401, 'SESSION_EXPIRED', '登录已过期，请重新登录');
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    departmentName: row.department_name,
    roles: row.roles,
    sessionId: row.session_id,
  };
}

export async function logout(db: Database, actor: Actor): Promise<void> {
  await q.revokeSession(db, actor.sessionId);
}

/** A user with their department's code and name, or undefined; `db` may be the caller's transaction. */
export function findUserById(db: Kysely<DB> | Transaction<DB>, id: string) {
  return q.findUserById(db, id);
}

export interface NewUserInput {
  departmentId: string;
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  certificate?: { number: string; domain: string; validFrom: string; validUntil: string };
  reviewerKind?: 'staff' | 'legal_adviser' | 'public_lawyer';
  /** 职务 (局长、副局长、法规科科长 …), as the documents the user signs state it. */
  position?: string | null;
  /** The internal unit (内设机构) of the department the user works in. */
  unitId?: string | null;
  /** 法律职业资格 (certificate number and the date obtained), when the user holds it. */
  legalQualification?: { number: string; date: string } | null;
  /** 初次从事法制审核: no case is given to such a reviewer without the qualification (行政处罚法 第五十八条第二款). */
  firstTimeReviewer?: boolean;
}

export async function createUser(db: Database, input: NewUserInput): Promise<string> {
  if (!(await q.findDepartmentById(db, input.departmentId))) {
    throw new AppError(400, 'VALIDATION_FAILED', '执法机关不存在', { departmentId: input.departmentId });
  }
  if (await q.findUserForLogin(db, input.username)) {
    throw new AppError(409, 'CONFLICT', `用户名 ${input.username} 已存在`);
  }
  if (input.roles.includes('officer') && !input.certificate) {
    throw new AppError(400, 'VALIDATION_FAILED', '承办人必须登记执法证信息');
  }
  const { id } = await q.insertUser(db, {
    department_id: input.departmentId,
    username: input.username.toLowerCase(),
    display_name: input.displayName,
    password_hash: await hashPassword(input.password),
    roles: [...new Set(input.roles)],
    certificate_number: input.certificate?.number ?? null,
    certificate_domain: input.certificate?.domain ?? null,
    certificate_valid_from: input.certificate?.validFrom ?? null,
    certificate_valid_until: input.certificate?.validUntil ?? null,
    reviewer_kind: input.reviewerKind ?? (input.roles.includes('reviewer') ? 'staff' : null),
    position: input.position?.trim() || null,
    legal_qualification_number: input.legalQualification?.number.trim() || null,
    legal_qualification_date: input.legalQualification?.number.trim() ? input.legalQualification.date : null,
    first_time_reviewer: input.firstTimeReviewer ?? false,
  });
  if (input.unitId) await assignUserUnit(db, id, input.unitId);
  return id;
}

export interface DepartmentInput {
  code: string;
  name: string;
  kind: DepartmentsTable['kind'];
  enforcementStaffCount: number;
  /** 机关代字 for document numbers (e.g. 市监); null or absent = the code. */
  documentAbbr?: string | null;
  /** 执法系统 (市场监管系统 …); the shared reviewer pool lends within one system. */
  enforcementSystem?: string | null;
}

/** Adds a department with its 机关代字: the admin page and POST /api/departments both come here. */
export async function createDepartment(db: Kysely<DB> | Transaction<DB>, input: DepartmentInput) {
  if (await q.findDepartmentByCode(db, input.code)) {
    throw new AppError(409, 'CONFLICT', `机关代码 ${input.code} 已存在`);
  }
  return q.insertDepartment(db, {
    code: input.code,
    name: input.name,
    kind: input.kind,
    enforcement_staff_count: input.enforcementStaffCount,
    document_abbr: input.documentAbbr?.trim() || null,
    enforcement_system: input.enforcementSystem?.trim() || null,
  });
}

/** Sets (or with null clears) the enforcement system (执法系统) a department belongs to. */
export async function setEnforcementSystem(db: Kysely<DB> | Transaction<DB>, id: string, system: string | null) {
  const res = await q.updateEnforcementSystem(db, id, system?.trim() || null);
  if (res.numUpdatedRows === 0n) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
}

/** A department's name, enforcement staff number and 机关代字; its code and kind never change. */
export async function updateDepartment(
  db: Kysely<DB> | Transaction<DB>,
  id: string,
  input: Pick<DepartmentInput, 'name' | 'enforcementStaffCount' | 'documentAbbr'>,
): Promise<void> {
  await q.updateDepartment(db, id, input);
}

/** Sets (or with null clears) the 机关代字 a department's documents are numbered with. */
export async function setDocumentAbbreviation(db: Kysely<DB> | Transaction<DB>, id: string, abbr: string | null) {
  await q.updateDocumentAbbr(db, id, abbr);
}
