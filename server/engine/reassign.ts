import { sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

/**
 * Hands an instance's open tasks assigned to `from` over to `to`. With `variable` (the instance variable a
 * user task's fashen:assignee names), tasks created later go to `to` as well. Run it under the instance lock
 * (withInstanceLocked) so that no command on the instance interleaves. Returns how many tasks moved.
 */
export async function reassignOpenTasks(
  trx: Transaction<DB>,
  instanceId: string,
  change: { from: string; to: string; variable?: string },
): Promise<number> {
  const moved = await trx
    .updateTable('tasks')
    .set({ assignee_id: change.to })
    .where('instance_id', '=', instanceId)
    .where('assignee_id', '=', change.from)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  if (change.variable) {
    await trx
      .updateTable('process_instances')
      .set({
        variables: sql`jsonb_set(variables, ${sql.val(`{${change.variable}}`)}::text[], to_jsonb(${change.to}::text))`,
      })
      .where('id', '=', instanceId)
      .execute();
  }
  return moved.length;
}
