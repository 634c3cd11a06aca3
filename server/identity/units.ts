import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { UNIT_KIND_LABELS, type UnitKind } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A department's internal units (内设机构), 承办机构 first, each with its head's name and how many users it has. */
export async function listUnits(db: Db, departmentId: string) {
  const rows = await db
    .selectFrom('units as n')
    .leftJoin('users as h', 'h.id', 'n.head_user_id')
    .select((eb) => [
      'n.id',
      'n.department_id',
      'n.name',
      'n.kind',
      'n.head_user_id',
      'h.display_name as head_name',
      eb
        .selectFrom('users as m')
        .select((m) => m.fn.countAll<number>().as('n'))
        .whereRef('m.unit_id', '=', 'n.id')
        .as('members'),
    ])
    .where('n.department_id', '=', departmentId)
    .orderBy('n.kind')
    .orderBy('n.name')
    .execute();
  return rows.map((r) => ({ ...r, members: Number(r.members ?? 0), kindLabel: UNIT_KIND_LABELS[r.kind] }));
}

export function findUnit(db: Db, id: string) {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface UnitInput {
  name: string;
  kind: UnitKind;
  /** 负责人: a user of the same department, or null. */
  headUserId?: string | null;
}

async function assertHead(db: Db, departmentId: string, headUserId: string | null | undefined) {
  if (!headUserId) return;
  const head = await db.selectFrom('users').select('department_id').where('id', '=', headUserId).executeTakeFirst();
  if (!head || head.department_id !== departmentId) {
    throw new AppError(400, 'VALIDATION_FAILED', '负责人须为本机关的用户', { field: 'headUserId' });
  }
}

async function assertNameFree(db: Db, departmentId: string, name: string, exceptId?: string) {
  let q = db.selectFrom('units').select('id').where('department_id', '=', departmentId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new AppError(409, 'CONFLICT', `本机关已有内设机构“${name}”`);
}

/** Adds an internal unit to a department; names are unique within the department. */
export async function createUnit(db: Db, departmentId: string, input: UnitInput) {
  const name = input.name.trim();
  const dept = await db.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst();
  if (!dept) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
  await assertNameFree(db, departmentId, name);
  await assertHead(db, departmentId, input.headUserId);
  return db
    .insertInto('units')
    .values({ department_id: departmentId, name, kind: input.kind, head_user_id: input.headUserId ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Renames a unit, changes its kind or head. Cases keep the unit they were handled and reviewed by. */
export async function updateUnit(db: Db, id: string, input: Partial<UnitInput>) {
  const unit = await findUnit(db, id);
  if (!unit) throw new AppError(404, 'NOT_FOUND', '内设机构不存在');
  const name = input.name?.trim();
  if (name) await assertNameFree(db, unit.department_id, name, id);
  await assertHead(db, unit.department_id, input.headUserId);
  return db
    .updateTable('units')
    .set({
      ...(name && { name }),
      ...(input.kind && { kind: input.kind }),
      ...(input.headUserId !== undefined && { head_user_id: input.headUserId }),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Puts a user into a unit of their own department, or (null) into none. */
export async function assignUserUnit(db: Db, userId: string, unitId: string | null) {
  const user = await db.selectFrom('users').select('department_id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw new AppError(404, 'NOT_FOUND', '用户不存在');
  if (unitId) {
    const unit = await findUnit(db, unitId);
    if (!unit || unit.department_id !== user.department_id) {
      throw new AppError(400, 'VALIDATION_FAILED', '内设机构须为该用户所在机关的机构', { field: 'unitId' });
    }
  }
  await db.updateTable('users').set({ unit_id: unitId }).where('id', '=', userId).execute();
}

/** A user's unit when it is one of the department's, else the department's first unit of `fallbackKind` if any. */
export async function actingUnit(
  db: Db,
  userId: string | null,
  departmentId: string,
  fallbackKind?: UnitKind,
): Promise<{ id: string; name: string; kind: UnitKind } | undefined> {
  if (userId) {
    const own = await db
      .selectFrom('users as u')
      .innerJoin('units as n', 'n.id', 'u.unit_id')
      .select(['n.id', 'n.name', 'n.kind'])
      .where('u.id', '=', userId)
      .where('n.department_id', '=', departmentId)
      .executeTakeFirst();
    if (own) return own;
  }
  if (!fallbackKind) return undefined;
  return db
    .selectFrom('units')
    .select(['id', 'name', 'kind'])
    .where('department_id', '=', departmentId)
    .where('kind', '=', fallbackKind)
    .orderBy('created_at')
    .orderBy('name')
    .limit(1)
    .executeTakeFirst();
}

export function unitName(db: Db, id: string | null) {
  if (!id) return Promise.resolve(undefined);
  return db.selectFrom('units').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}
