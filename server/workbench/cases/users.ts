import type { Database } from '../../database/connect.js';
import { listUsers } from '../../identity/directory.js';
import type { UserName } from './packet.js';

/**
 * Names of the people a case page mentions: the department's staff, and anyone from elsewhere (a pool
 * reviewer, a supervisor) as the case's own records name them.
 */
export async function userNames(
  db: Database,
  departmentId: string,
  known: {
    opinions?: { reviewerId: string; reviewerName: string }[];
    timeline?: { actorId: string | null; actorName: string | null }[];
  } = {},
): Promise<UserName> {
  const names = new Map<string, string>();
  for (const u of await listUsers(db, { departmentId })) names.set(u.id, u.display_name);
  for (const o of known.opinions ?? []) names.set(o.reviewerId, o.reviewerName);
  for (const e of known.timeline ?? []) if (e.actorId && e.actorName) names.set(e.actorId, e.actorName);
  return (id) => (typeof id === 'string' ? (names.get(id) ?? '其他机关人员') : '');
}
