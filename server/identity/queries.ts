import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { Role } from './roles.js';
import type { DepartmentsTable, NewUser } from './tables.js';

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
  'users.position',
  'users.unit_id',
  'users.legal_qualification_number',
  sql<string | null>`to_char(users.legal_qualification_date, 'YYYY-MM-DD')`.as('legal_qualification_date'),
  'users.first_time_reviewer',
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
  values: Pick<DepartmentsTable, 'code' | 'name' | 'kind' | 'enforcement_staff_count'> & {
    document_abbr?: string | null;
    enforcement_system?: string | null;
  },
) {
  return db.insertInto('departments').values(values).returningAll().executeTakeFirstOrThrow();
}

export function listUsers(db: Db, filter: { departmentId?: string; role?: Role }) {
  let q = db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select([
      ...userColumns,
      'departments.code as department_code',
      'departments.name as department_name',
      'units.name as unit_name',
    ]);
  if (filter.departmentId) q = q.where('users.department_id', '=', filter.departmentId);
  if (filter.role) q = q.where((eb) => eb(eb.val(filter.role), '=', eb.fn.any('users.roles')));
  return q.orderBy('users.username').execute();
}

export function findUserById(db: Db, id: string) {
  return db
    .selectFrom('users')
    .innerJoin('departments', 'departments.id', 'users.department_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select([
      ...userColumns,
      'departments.code as department_code',
      'departments.name as department_name',
      'units.name as unit_name',
    ])
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export function insertUser(db: Db, values: NewUser) {
  return db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateUser(
  db: Db,
  id: string,
  values: Partial<
    Pick<
      NewUser,
      | 'roles'
      | 'active'
      | 'display_name'
      | 'password_hash'
      | 'position'
      | 'legal_qualification_number'
      | 'legal_qualification_date'
      | 'first_time_reviewer'
    >
  >,
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

export function updateDepartment(
  db: Db,
  id: string,
  v: { name: string; enforcementStaffCount: number; documentAbbr?: string | null },
) {
  return db
    .updateTable('departments')
    .set({
      name: v.name,
      enforcement_staff_count: v.enforcementStaffCount,
      ...(v.documentAbbr !== undefined && { document_abbr: v.documentAbbr }),
    })
    .where('id', '=', id)
    .executeTakeFirst();
}

export function updateEnforcementSystem(db: Db, id: string, system: string | null) {
  return db.updateTable('departments').set({ enforcement_system: system }).where('id', '=', id).executeTakeFirst();
}

export function updateDocumentAbbr(db: Db, id: string, abbr: string | null) {
  return db.updateTable('departments').set({ document_abbr: abbr }).where('id', '=', id).executeTakeFirst();
}

export async function countDepartments(db: Db): Promise<number> {
  const row = await db.selectFrom('departments').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every department (or one) with its active reviewers counted by kind — the numbers the 5% staffing rule
 * is checked against. One grouped query over users (small).
 */
export function reviewerCountsByDepartment(db: Db, departmentId?: string) {
  let query = db
    .selectFrom('departments as d')
    .leftJoin('users as u', (join) =>
      join.onRef('u.department_id', '=', 'd.id').on('u.active', '=', true).on(sql<boolean>`'reviewer' = ANY(u.roles)`),
    )
    .select([
      'd.id',
      'd.code',
      'd.name',
      'd.kind',
      'd.enforcement_staff_count',
      sql<string>`count(u.id)`.as('reviewers'),
      sql<string>`count(u.id) filter (where coalesce(u.reviewer_kind, 'staff') = 'staff')`.as('staff'),
      sql<string>`count(u.id) filter (where u.reviewer_kind = 'legal_adviser')`.as('legal_adviser'),
      sql<string>`count(u.id) filter (where u.reviewer_kind = 'public_lawyer')`.as('public_lawyer'),
    ])
    .groupBy('d.id')
    .orderBy('d.kind')
    .orderBy('d.code');
  if (departmentId) query = query.where('d.id', '=', departmentId);
  return query.execute();
}
