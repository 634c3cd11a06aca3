import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { DepartmentsTable, NewUser, Role } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

const userColumns = [
  'users.id',
  'users.department_id',
  'users.username',
  'users.display_name',
  'users.roles',
  'users.certificate_number',
  'users.certificate_domain',
  'users.certificate_valid_from',
  'users.certificate_valid_until',
  'users.reviewer_kind',
  'users.active',
  'users.created_at',
] as const;

export function findUserForLogin(db: Db, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'active'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
}

export function insertSession(db: Db, userId: string, tokenHash: string, expiresAt: Date) {
  return db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt, revoked_at: null })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** The session behind a token with its user and department, whether or not it has expired. */
export function findSessionByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'sessions.revoked_at',
      ...userColumns,
      'departments.code as department_code',
      'departments.name as department_name',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function revokeSession(db: Db, sessionId: string) {
  return db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).execute();
}

export function listDepartments(db: Db) {
  return db.selectFrom('departments').selectAll().orderBy('code').execute();
}

export function findDepartmentByCode(db: Db, code: string) {
  return db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findDepartmentById(db: Db, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertDepartment(
  db: Db,
  values: Pick<DepartmentsTable, 'code' | 'name' | 'kind' | 'enforcement_staff_count'>,
) {
  return db.insertInto('departments').values(values).returningAll().executeTakeFirstOrThrow();
}

export function listUsers(db: Db, filter: { departmentId?: string; role?: Role }) {
  let q = db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select([...userColumns, 'departments.code as department_code', 'departments.name as department_name']);
  if (filter.departmentId) q = q.where('users.department_id', '=', filter.departmentId);
  if (filter.role) q = q.where((eb) => eb(eb.val(filter.role), '=', eb.fn.any('users.roles')));
  return q.orderBy('users.username').execute();
}

export function findUserById(db: Db, id: string) {
  return db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .select([...userColumns, 'departments.code as department_code', 'departments.name as department_name'])
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export function insertUser(db: Db, values: NewUser) {
  return db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateUser(
  db: Db,
  id: string,
  values: Partial<Pick<NewUser, 'roles' | 'active' | 'display_name' | 'password_hash'>>,
) {
  return db.updateTable('users').set(values).where('id', '=', id).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
