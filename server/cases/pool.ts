import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { findUserById } from '../identity/directory.js';
import { deletePoolMember, setPoolCitywide, upsertPoolMember } from './pool-queries.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Adds an active reviewer to the pool (人才库); false if the user is not one. A first-time reviewer without
 * 法律职业资格 may review nothing (行政处罚法 第五十八条第二款), so lending them is refused (409).
 */
export async function addToPool(db: Db, userId: string, note: string | null, addedBy: string | null): Promise<boolean> {
  const user = await findUserById(db, userId);
  if (!user?.active || !user.roles.includes('reviewer')) return false;
  if (user.first_time_reviewer && !user.legal_qualification_number) {
    throw new AppError(
      409,
      'REVIEWER_UNQUALIFIED',
      `${user.display_name}初次从事法制审核，尚未登记法律职业资格，不能加入人才库（行政处罚法第五十八条第二款）`,
    );
  }
  await upsertPoolMember(db, { userId: user.id, note, addedBy });
  return true;
}

export async function removeFromPool(db: Db, userId: string): Promise<void> {
  await deletePoolMember(db, userId);
}

/** The justice bureau's switch: the pool lends within each enforcement system (off) or city-wide (on). */
export async function setPoolScope(db: Db, citywide: boolean, by: string | null): Promise<void> {
  await setPoolCitywide(db, citywide, by);
}
