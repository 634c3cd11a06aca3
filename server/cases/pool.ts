import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { findUserById } from '../identity/directory.js';
import { deletePoolMember, upsertPoolMember } from './pool-queries.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Adds an active reviewer to the city's pool (人才库); false if the user is not one. */
export async function addToPool(db: Db, userId: string, note: string | null, addedBy: string | null): Promise<boolean> {
  const user = await findUserById(db, userId);
  if (!user?.active || !user.roles.includes('reviewer')) return false;
  await upsertPoolMember(db, { userId: user.id, note, addedBy });
  return true;
}

export async function removeFromPool(db: Db, userId: string): Promise<void> {
  await deletePoolMember(db, userId);
}
