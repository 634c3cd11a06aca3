import { type Kysely, sql } from 'kysely';

// PGlite runs one statement per query, so the script is split and run statement by statement.
async function run(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

/** Working-day deadlines on user tasks: their basis, pause, extension, reminders and escalation. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(
    db,
    `
    ALTER TABLE tasks ADD COLUMN deadline jsonb;
    ALTER TABLE tasks ADD COLUMN due_provisional boolean NOT NULL DEFAULT false;
    ALTER TABLE tasks ADD COLUMN paused_at timestamptz;
    ALTER TABLE tasks ADD COLUMN reminded_at timestamptz;
    ALTER TABLE tasks ADD COLUMN escalated_to text;
    ALTER TABLE tasks ADD COLUMN escalated_at timestamptz;
    CREATE INDEX tasks_provisional_idx ON tasks (id) WHERE status = 'open' AND due_provisional;
    CREATE INDEX tasks_escalated_idx ON tasks (department_id, escalated_to) WHERE status = 'open' AND escalated_to IS NOT NULL;

    ALTER TABLE timers ADD COLUMN kind text NOT NULL DEFAULT 'engine'
      CHECK (kind IN ('engine', 'task_reminder', 'task_deadline'));
    ALTER TABLE timers ADD COLUMN task_id uuid REFERENCES tasks(id) ON DELETE CASCADE;
    CREATE INDEX timers_task_idx ON timers (task_id) WHERE status = 'pending';

    CREATE TABLE deadline_extensions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      instance_id uuid NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
      department_id uuid NOT NULL REFERENCES departments(id),
      working_days integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      requested_by uuid NOT NULL REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_note text
    );
    CREATE INDEX deadline_extensions_task_idx ON deadline_extensions (task_id);
    CREATE INDEX deadline_extensions_pending_idx ON deadline_extensions (department_id) WHERE status = 'pending';
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(
    db,
    `
    DROP TABLE deadline_extensions;
    ALTER TABLE timers DROP COLUMN task_id;
    ALTER TABLE timers DROP COLUMN kind;
    ALTER TABLE tasks DROP COLUMN escalated_at;
    ALTER TABLE tasks DROP COLUMN escalated_to;
    ALTER TABLE tasks DROP COLUMN reminded_at;
    ALTER TABLE tasks DROP COLUMN paused_at;
    ALTER TABLE tasks DROP COLUMN due_provisional;
    ALTER TABLE tasks DROP COLUMN deadline;
  `,
  );
}
