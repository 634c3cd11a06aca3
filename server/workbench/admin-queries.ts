import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { Role, UsersTable } from '../identity/tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function updateDepartment(db: Db, id: string, v: { name: string; enforcementStaffCount: number }) {
  return db
    .updateTable('departments')
    .set({ name: v.name, enforcement_staff_count: v.enforcementStaffCount })
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface UserFilter {
  departmentId?: string;
  role?: Role;
  active?: boolean;
  /** Username or display name contains this. */
  q?: string;
  limit: number;
  offset: number;
}

export function listUsersForAdmin(db: Db, f: UserFilter) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.reviewer_kind',
      'u.certificate_number',
      'u.active',
      'd.name as department_name',
      sql<boolean>`p.user_id is not null`.as('in_pool'),
    ]);
  if (f.departmentId) query = query.where('u.department_id', '=', f.departmentId);
  if (f.role) query = query.where(sql<boolean>`${f.role} = ANY(u.roles)`);
  if (f.active !== undefined) query = query.where('u.active', '=', f.active);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  return query.orderBy('d.code').orderBy('u.username').limit(f.limit).offset(f.offset).execute();
}

/** A user as the edit form shows it, certificate dates as YYYY-MM-DD. */
export function userForEdit(db: Db, id: string) {
  const date = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;
  return db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.reviewer_kind',
      'u.certificate_number',
      'u.certificate_domain',
      date('u.certificate_valid_from').as('certificate_valid_from'),
      date('u.certificate_valid_until').as('certificate_valid_until'),
      'u.active',
      'u.created_at',
      'd.name as department_name',
    ])
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export interface CertificateInput {
  number: string;
  domain: string;
  validFrom: string;
  validUntil: string;
}

/** Roles, name, reviewer kind and certificate as an administrator edits them. */
export function updateUserProfile(
  db: Db,
  id: string,
  v: {
    displayName: string;
    roles: Role[];
    reviewerKind: UsersTable['reviewer_kind'];
    certificate: CertificateInput | null;
  },
) {
  return db
    .updateTable('users')
    .set({
      display_name: v.displayName,
      roles: v.roles,
      reviewer_kind: v.reviewerKind,
      certificate_number: v.certificate?.number ?? null,
      certificate_domain: v.certificate?.domain ?? null,
      certificate_valid_from: v.certificate?.validFrom ?? null,
      certificate_valid_until: v.certificate?.validUntil ?? null,
    })
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Ends every session of a user (deactivation, password reset): they must sign in again. */
export function revokeUserSessions(db: Db, userId: string, at: Date) {
  return db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export function poolMembers(db: Db) {
  return db
    .selectFrom('reviewer_pool as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('users as a', 'a.id', 'p.added_by')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.reviewer_kind',
      'u.active',
      'd.name as department_name',
      'p.note',
      'p.added_at',
      'a.display_name as added_by_name',
      (eb) =>
        eb
          .selectFrom('tasks as t')
          .select(sql<string>`count(*)`.as('n'))
          .whereRef('t.assignee_id', '=', 'u.id')
          .where('t.status', '=', 'open')
          .as('open_tasks'),
    ])
    .orderBy('d.code')
    .orderBy('u.username')
    .execute();
}

/** Active reviewers not yet in the pool, by department, for the "add" form. */
export function poolCandidates(db: Db) {
  return db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name',
      'u.username',
      'u.reviewer_kind',
      'd.id as department_id',
      'd.name as department_name',
    ])
    .where('u.active', '=', true)
    .where(sql<boolean>`'reviewer' = ANY(u.roles)`)
    .where('p.user_id', 'is', null)
    .orderBy('d.code')
    .orderBy('u.username')
    .execute();
}

/** Adds an active reviewer to the city's pool; false if the user is not one. */
export async function addToPool(db: Db, userId: string, note: string | null, addedBy: string): Promise<boolean> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('active', '=', true)
    .where(sql<boolean>`'reviewer' = ANY(roles)`)
    .executeTakeFirst();
  if (!user) return false;
  await db
    .insertInto('reviewer_pool')
    .values({ user_id: user.id, note, added_by: addedBy })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ note }))
    .execute();
  return true;
}

export function removeFromPool(db: Db, userId: string) {
  return db.deleteFrom('reviewer_pool').where('user_id', '=', userId).executeTakeFirst();
}

/** Declared conflicts (回避) with their case, department, the user concerned and who declared it, newest first. */
export function listConflicts(db: Db, f: { departmentId?: string; limit: number; offset: number }) {
  let query = db
    .selectFrom('case_conflicts as cc')
    .innerJoin('cases as c', 'c.id', 'cc.case_id')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .innerJoin('users as u', 'u.id', 'cc.user_id')
    .innerJoin('departments as ud', 'ud.id', 'u.department_id')
    .leftJoin('users as decl', 'decl.id', 'cc.declared_by')
    .select([
      'cc.case_id',
      'cc.user_id',
      'cc.reason',
      'cc.declared_at',
      'cc.declared_by',
      'c.case_number',
      'c.title',
      'c.status',
      'c.reviewer_id',
      'd.name as department_name',
      'u.display_name as user_name',
      'ud.name as user_department_name',
      'decl.display_name as declared_by_name',
    ]);
  if (f.departmentId) query = query.where('c.department_id', '=', f.departmentId);
  return query.orderBy('cc.declared_at', 'desc').limit(f.limit).offset(f.offset).execute();
}

/** Counts for the administration overview. */
export async function adminOverview(db: Db) {
  const count = (q: Promise<{ n: string }>) => q.then((r) => Number(r.n));
  const [departments, users, activeUsers, pool, conflicts] = await Promise.all([
    count(db.selectFrom('departments').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()),
    count(db.selectFrom('users').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()),
    count(
      db.selectFrom('users').select(sql<string>`count(*)`.as('n')).where('active', '=', true).executeTakeFirstOrThrow(),
    ),
    count(db.selectFrom('reviewer_pool').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()),
    count(db.selectFrom('case_conflicts').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()),
  ]);
  return { departments, users, activeUsers, pool, conflicts };
}
