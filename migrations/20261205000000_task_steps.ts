import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** The element ids the shipped processes gave their steps before a step said what it is (`fashen:step`). */
const SHIPPED_STEP_IDS: Record<string, string> = {
  Task_accept: 'accept',
  Task_complete_packet: 'complete_packet',
  Task_review: 'review',
  Task_correct: 'correct',
  Task_contest: 'contest',
  Task_rereview: 'rereview',
  Task_coordinate: 'coordinate',
  Task_chief_decision: 'chief_decision',
  Task_record_decision: 'record_decision',
};

/**
 * A task keeps the step of the review it is (its user task's `fashen:step`), so that forms and figures find it
 * whatever a department named the element. Tasks made before steps existed were found by the ids of the shipped
 * processes; they get the step those ids meant. Finished review steps are counted by step now, not by id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const cases = Object.entries(SHIPPED_STEP_IDS)
    .map(([id, step]) => `WHEN '${id}' THEN '${step}'`)
    .join(' ');
  await run(db, [
    `ALTER TABLE tasks ADD COLUMN step text CHECK (step ~ '^[a-z][a-z_]{0,63}$')`,
    `UPDATE tasks SET step = CASE element_id ${cases} END WHERE element_id IN (${Object.keys(SHIPPED_STEP_IDS)
      .map((id) => `'${id}'`)
      .join(', ')})`,
    'DROP INDEX tasks_completed_idx',
    `CREATE INDEX tasks_completed_step_idx ON tasks (department_id, step, ended_at) WHERE status = 'completed'`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX tasks_completed_step_idx',
    `CREATE INDEX tasks_completed_idx ON tasks (department_id, element_id, ended_at) WHERE status = 'completed'`,
    'ALTER TABLE tasks DROP COLUMN step',
  ]);
}
