import { type Kysely, sql } from 'kysely';

/**
 * What a command compares its engine with (open user tasks, pending engine timers), read by the statement that
 * locks the instance (engine/queries.ts lockInstanceWithWaiting). VOLATILE and PL/pgSQL (never inlined): its query
 * takes a fresh snapshot when it runs, after the lock is held, so it sees what the previous holder committed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`CREATE FUNCTION fashen_instance_waiting(p_instance uuid) RETURNS json LANGUAGE plpgsql VOLATILE AS $$
      DECLARE result json;
      BEGIN
        SELECT json_build_object(
          'tasks', (SELECT json_agg(json_build_object('id', id, 'execution_id', execution_id, 'element_id', element_id))
                      FROM tasks WHERE instance_id = p_instance AND status = 'open'),
          'timers', (SELECT json_agg(json_build_object('id', id, 'execution_id', execution_id,
                                                       'element_id', element_id, 'due_at', due_at))
                       FROM timers WHERE instance_id = p_instance AND status = 'pending' AND kind = 'engine'))
          INTO result;
        RETURN result;
      END $$`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP FUNCTION fashen_instance_waiting(uuid)').execute(db);
}
