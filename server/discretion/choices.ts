import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import * as q from './queries.js';
import { CIRCUMSTANCE_LABELS, rangeText } from './vocabulary.js';

/**
 * The department's benchmark as the packet form offers it: one group per item (code and violation), one option
 * per circumstance, valued `<itemId>:<circumstance>`.
 */
export async function benchmarkChoices(db: Kysely<DB>, departmentId: string) {
  const items = await q.listItems(db, departmentId);
  return items.map((i) => ({
    label: `${i.code} ${i.violation}`,
    options: i.ranges.map((r) => ({
      value: `${i.id}:${r.circumstance}`,
      label: r.kind === 'none' ? '不予处罚' : `${CIRCUMSTANCE_LABELS[r.circumstance]}：${rangeText(r)}`,
    })),
  }));
}
