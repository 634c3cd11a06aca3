import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { actingUnit, type UnitKind } from '../identity/directory.js';

const REVIEWER_KIND_LABELS = { staff: '法制审核人员', legal_adviser: '法律顾问', public_lawyer: '公职律师' } as const;

/** What a user's role makes them when they have no 职务 of their own, as a document signs it. */
function roleTitle(roles: string[], reviewerKind: keyof typeof REVIEWER_KIND_LABELS | null): string {
  if (roles.includes('chief')) return '负责人';
  if (roles.includes('reviewer')) return REVIEWER_KIND_LABELS[reviewerKind ?? 'staff'];
  if (roles.includes('legal_admin')) return '法制机构工作人员';
  if (roles.includes('officer')) return '执法人员';
  return '工作人员';
}

/** Who did something for a department's case, as documents sign and the record names them. */
export interface Person {
  userId: string;
  name: string;
  /** 职务 as set on the user, else what their role makes them (法制审核人员、执法人员 …). */
  position: string;
  /** Whether `position` is the user's own 职务 (not one derived from their role). */
  ownPosition: boolean;
  /** 审核人身份: 法制审核人员 / 法律顾问 / 公职律师. */
  reviewerKind: string;
  /** The unit the user acts for in this department (their own, else the fallback kind's unit). */
  unitId: string | null;
  unit: string | null;
}

export async function personFor(
  trx: Transaction<DB>,
  userId: string,
  departmentId: string,
  fallbackUnit?: UnitKind,
): Promise<Person | undefined> {
  const u = await trx
    .selectFrom('users')
    .select(['id', 'display_name', 'roles', 'reviewer_kind', 'position'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u) return undefined;
  const unit = await actingUnit(trx, userId, departmentId, fallbackUnit);
  const own = u.position?.trim() || null;
  return {
    userId: u.id,
    name: u.display_name,
    position: own ?? roleTitle(u.roles, u.reviewer_kind),
    ownPosition: own !== null,
    reviewerKind: REVIEWER_KIND_LABELS[u.reviewer_kind ?? 'staff'],
    unitId: unit?.id ?? null,
    unit: unit?.name ?? null,
  };
}

/** A person as a record entry names them: who, in which unit, in what capacity. */
export const recordedPerson = (p: Person | undefined) =>
  p ? { userId: p.userId, name: p.name, unit: p.unit, position: p.position } : null;
