import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import type { StepRules } from '../tasks/step-rules.js';
import { type CollectiveResult, DECISIONS_FOLLOWING, RESULT_LABELS } from './rules.js';

/**
 * After a collective discussion the chief records the decision its majority reached (集体讨论决定): a decision the
 * majority did not reach is refused beside the field, as is any decision when no majority was formed.
 */
export function registerCollectiveRules(rules: StepRules, db: Kysely<DB>): void {
  rules.add('chief_decision', async (values, task) => {
    if (!task) return [];
    const row = await db
      .selectFrom('process_instances')
      .select('variables')
      .where('id', '=', task.instanceId)
      .executeTakeFirst();
    const result = (row?.variables as Record<string, unknown> | undefined)?.collectiveResult as
      | CollectiveResult
      | null
      | undefined;
    if (!result) return [];
    const allowed = DECISIONS_FOLLOWING[result];
    if (allowed.includes(String(values.decision))) return [];
    const message = allowed.length
      ? `集体讨论结果为“${RESULT_LABELS[result]}”，负责人决定须为：${allowed.join('或')}`
      : `集体讨论${RESULT_LABELS[result]}不能记录负责人决定`;
    return [{ field: 'decision', message }];
  });
}
