import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { poolSettings } from '../cases/reads.js';
import type { DB } from '../database/schema.js';
import { findDepartmentById } from '../identity/directory.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Who takes part in a case's discussion: the case's reviewer, the legal unit of the case's department (its
 * reviewers and legal admins), and the reviewers of the pool (人才库) the department may borrow from — its own
 * enforcement system (本系统内), or the whole city once the justice bureau has opened the pool city-wide.
 * Everybody else, supervisors included, does not see the discussion at all.
 */
export interface DiscussionScope {
  departmentId: string;
  /** The case department's enforcement system; null: it borrows from nobody unless the pool is city-wide. */
  system: string | null;
  citywide: boolean;
  reviewerId: string | null;
}

export async function scopeOf(
  db: Db,
  c: { department_id: string; reviewer_id: string | null },
): Promise<DiscussionScope> {
  const [dept, settings] = await Promise.all([findDepartmentById(db, c.department_id), poolSettings(db)]);
  return {
    departmentId: c.department_id,
    system: dept?.enforcement_system ?? null,
    citywide: settings?.citywide ?? false,
    reviewerId: c.reviewer_id,
  };
}

type UserRefs = ExpressionBuilder<DB & { u: DB['users']; ud: DB['departments'] }, 'u' | 'ud'>;

/** The condition on `users as u` (joined to its department `ud`) of taking part in a discussion of this scope. */
function takesPart(eb: UserRefs, s: DiscussionScope) {
  const legalUnit = eb.and([
    eb('u.department_id', '=', s.departmentId),
    sql<boolean>`(u.roles && ARRAY['reviewer', 'legal_admin']::text[])`,
  ]);
  const borrowable = s.citywide ? sql<boolean>`true` : s.system ? eb('ud.enforcement_system', '=', s.system) : null;
  const pool = borrowable
    ? eb.and([
        sql<boolean>`'reviewer' = ANY(u.roles)`,
        eb.exists(eb.selectFrom('reviewer_pool as p').select('p.user_id').whereRef('p.user_id', '=', 'u.id')),
        borrowable,
      ])
    : null;
  return eb.and([
    eb('u.active', '=', true),
    eb.or([legalUnit, ...(pool ? [pool] : []), ...(s.reviewerId ? [eb('u.id', '=', s.reviewerId)] : [])]),
  ]);
}

/** The users who may read and comment (and so may be @-mentioned), the case's department first. */
export function participants(db: Db, s: DiscussionScope) {
  return db
    .selectFrom('users as u')
    .innerJoin('departments as ud', 'ud.id', 'u.department_id')
    .select(['u.id', 'u.username', 'u.display_name', 'ud.name as department_name'])
    .where((eb) => takesPart(eb, s))
    .orderBy(sql`(u.department_id = ${s.departmentId})`, 'desc')
    .orderBy('ud.code')
    .orderBy('u.username')
    .execute();
}

/** Whether these users take part; the ones who do, by id. */
export async function takingPart(db: Db, s: DiscussionScope, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('departments as ud', 'ud.id', 'u.department_id')
    .select('u.id')
    .where('u.id', 'in', userIds)
    .where((eb) => takesPart(eb, s))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * The discussions a user takes part in, as a condition on `case_discussions as x` joined to its case `c` and the
 * case's department `cd`: the same rule as takesPart, read from the user's side.
 */
export async function visibleTo(db: Db, user: { id: string; departmentId: string; roles: readonly string[] }) {
  const [dept, settings, pooled] = await Promise.all([
    findDepartmentById(db, user.departmentId),
    poolSettings(db),
    db.selectFrom('reviewer_pool').select('user_id').where('user_id', '=', user.id).executeTakeFirst(),
  ]);
  const legalUnit = user.roles.includes('reviewer') || user.roles.includes('legal_admin');
  const inPool = !!pooled && user.roles.includes('reviewer');
  const citywide = settings?.citywide ?? false;
  const system = dept?.enforcement_system ?? null;
  return (
    eb: ExpressionBuilder<DB & { x: DB['case_discussions']; c: DB['cases']; cd: DB['departments'] }, 'x' | 'c' | 'cd'>,
  ) =>
    eb.or([
      eb('c.reviewer_id', '=', user.id),
      ...(legalUnit ? [eb('x.department_id', '=', user.departmentId)] : []),
      ...(inPool && citywide ? [sql<boolean>`true`] : []),
      ...(inPool && !citywide && system ? [eb('cd.enforcement_system', '=', system)] : []),
    ]);
}
