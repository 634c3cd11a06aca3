import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import * as accounts from './account-queries.js';
import { hashPassword } from './passwords.js';
import { updateUser } from './queries.js';
import type { Actor } from './service.js';

/** An administrator's changes to a user's name, roles, reviewer kind and certificate. */
export async function updateUserProfile(db: Database, userId: string, profile: accounts.UserProfile): Promise<void> {
  await accounts.updateUserProfile(db, userId, { ...profile, roles: [...new Set(profile.roles)] });
}

/** Deactivating a user ends their sessions in the same transaction; nobody may deactivate themselves. */
export async function setUserActive(db: Database, actor: Actor, userId: string, active: boolean, at: Date) {
  if (userId === actor.id && !active) throw new AppError(409, 'CONFLICT', '不能停用本人的账号');
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, { active });
    if (!active) await accounts.revokeUserSessions(trx, userId, at);
  });
}

/** Sets a new password; whoever held the old one loses their sessions, unless the actor resets their own. */
export async function resetPassword(db: Database, actor: Actor, userId: string, password: string, at: Date) {
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, { password_hash: hash });
    if (userId !== actor.id) await accounts.revokeUserSessions(trx, userId, at);
  });
}
