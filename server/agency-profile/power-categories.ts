import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { PowerCategory } from './vocabulary.js';

/** Which categories of power each department lists (职权事项清单), for the catalogue coverage check. */
export async function powerCategoriesByDepartment(
  db: Kysely<DB> | Transaction<DB>,
): Promise<Map<string, Set<PowerCategory>>> {
  const rows = await db.selectFrom('agency_powers').select(['department_id', 'category']).distinct().execute();
  const out = new Map<string, Set<PowerCategory>>();
  for (const r of rows) {
    const set = out.get(r.department_id) ?? new Set<PowerCategory>();
    set.add(r.category);
    out.set(r.department_id, set);
  }
  return out;
}
