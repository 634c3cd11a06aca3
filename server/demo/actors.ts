import type { Core } from '../assembly.js';
import * as identity from '../identity/directory.js';
import type { Actor } from '../identity/service.js';

type Db = Core['database']['db'];

/** A demo user as a signed-in actor, by user id. */
export async function actorById(db: Db, id: string): Promise<Actor | null> {
  const u = await identity.findUserById(db, id);
  if (!u) return null;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    departmentId: u.department_id,
    departmentCode: u.department_code,
    departmentName: u.department_name,
    roles: u.roles,
    sessionId: '',
  };
}

/** A demo user as a signed-in actor, by login name (null when the demo users were not loaded). */
export async function actorOf(core: Pick<Core, 'database'>, username: string): Promise<Actor | null> {
  const login = await identity.findUserForLogin(core.database.db, username);
  return login ? actorById(core.database.db, login.id) : null;
}
