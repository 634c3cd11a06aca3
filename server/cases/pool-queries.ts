import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The city's reviewer pool (人才库) with each member's department, who added them and their open tasks. */
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
      'd.id as department_id',
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

/** Which of these users are in the pool. */
export async function inPool(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('reviewer_pool').select('user_id').where('user_id', 'in', userIds).execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Adds a user to the pool, or replaces the note of one already in it. */
export function upsertPoolMember(db: Db, v: { userId: string; note: string | null; addedBy: string | null }) {
  return db
    .insertInto('reviewer_pool')
    .values({ user_id: v.userId, note: v.note, added_by: v.addedBy })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ note: v.note }))
    .execute();
}

export function deletePoolMember(db: Db, userId: string) {
  return db.deleteFrom('reviewer_pool').where('user_id', '=', userId).executeTakeFirst();
}

export async function countPoolMembers(db: Db): Promise<number> {
  const row = await db.selectFrom('reviewer_pool').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Per department (or for one), how many of its active reviewers are in the pool. */
export async function poolMembersByDepartment(db: Db, departmentId?: string): Promise<Map<string, number>> {
  let query = db
    .selectFrom('reviewer_pool as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.department_id', sql<string>`count(*)`.as('n')])
    .where('u.active', '=', true)
    .where(sql<boolean>`'reviewer' = ANY(u.roles)`)
    .groupBy('u.department_id');
  if (departmentId) query = query.where('u.department_id', '=', departmentId);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.department_id, Number(r.n)]));
}

/**
 * Reviewers working for a department: its own active reviewers, and reviewers borrowed from the pool who
 * hold its open tasks, with the open tasks they hold in this department and how many are overdue.
 */
export async function reviewerLoad(db: Db, departmentId: string, now: Date) {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .leftJoin('tasks as t', (join) =>
      join.onRef('t.assignee_id', '=', 'u.id').on('t.status', '=', 'open').on('t.department_id', '=', departmentId),
    )
    .select([
      'u.id',
      'u.display_name',
      'u.reviewer_kind',
      'u.active',
      sql<boolean>`u.department_id <> ${departmentId}`.as('borrowed'),
      sql<boolean>`p.user_id is not null`.as('in_pool'),
      sql<string>`count(t.id)`.as('open_tasks'),
      sql<string>`count(t.id) filter (where t.paused_at is null and t.due_at < ${now})`.as('overdue'),
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('u.department_id', '=', departmentId),
          eb('u.active', '=', true),
          sql<boolean>`'reviewer' = ANY(u.roles)`,
        ]),
        eb.exists(
          eb
            .selectFrom('tasks as o')
            .select('o.id')
            .whereRef('o.assignee_id', '=', 'u.id')
            .where('o.status', '=', 'open')
            .where('o.department_id', '=', departmentId)
            .where('o.role', '=', 'reviewer'),
        ),
      ]),
    )
    .groupBy(['u.id', 'p.user_id'])
    .orderBy(sql`count(t.id)`, 'desc')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    reviewerKind: r.reviewer_kind,
    active: r.active,
    borrowed: r.borrowed,
    inPool: r.in_pool,
    openTasks: Number(r.open_tasks),
    overdue: Number(r.overdue),
  }));
}

/** Whether the justice bureau has opened the pool city-wide (off: each department borrows within its system). */
export async function poolIsCitywide(db: Db): Promise<boolean> {
  const row = await db.selectFrom('reviewer_pool_settings').select('citywide').executeTakeFirst();
  return row?.citywide ?? false;
}

export function poolSettings(db: Db) {
  return db
    .selectFrom('reviewer_pool_settings as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.citywide', 's.updated_at', 'u.display_name as updated_by_name'])
    .executeTakeFirst();
}

export function setPoolCitywide(db: Db, citywide: boolean, by: string | null) {
  return db
    .insertInto('reviewer_pool_settings')
    .values({ id: true, citywide, updated_by: by })
    .onConflict((oc) => oc.column('id').doUpdateSet({ citywide, updated_by: by, updated_at: new Date() }))
    .execute();
}
