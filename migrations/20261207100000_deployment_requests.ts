import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Governed changes of a department's flows and catalogue (issue 13): a legal admin proposes a deployment, a
 * second legal admin of the same department approves or rejects it; only an approval deploys. Deploys made by
 * operators from the command line (and the demo loader) are kept here too, as `direct`, so the history the
 * portal publishes and the supervisors read has every version. A row is never deleted; once decided, only
 * `definition_id` of an approval is written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE deployment_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      process_key text NOT NULL,
      name text NOT NULL,
      xml text NOT NULL,
      sha256 text NOT NULL,
      base_version integer,
      change_note text NOT NULL,
      catalogue_diff jsonb NOT NULL,
      flow_diff jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'direct')),
      submitted_by uuid REFERENCES users(id),
      submitted_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      reason text,
      definition_id uuid REFERENCES workflow_definitions(id),
      version integer,
      CHECK (status <> 'approved' OR (decided_by IS NOT NULL AND decided_by IS DISTINCT FROM submitted_by)),
      CHECK (status <> 'rejected' OR (decided_by IS NOT NULL AND reason IS NOT NULL))
    )`,
    // One open request per process of a department: a second proposal waits until the first is decided.
    `CREATE UNIQUE INDEX deployment_requests_pending_idx ON deployment_requests (department_id, process_key)
      WHERE status = 'pending'`,
    'CREATE INDEX deployment_requests_department_idx ON deployment_requests (department_id, submitted_at DESC)',
    'CREATE INDEX deployment_requests_recent_idx ON deployment_requests (submitted_at DESC)',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['DROP TABLE deployment_requests']);
}
