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

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(
    db,
    `
    CREATE TABLE departments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{2,32}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      kind text NOT NULL DEFAULT 'agency' CHECK (kind IN ('agency', 'justice_bureau')),
      enforcement_staff_count integer NOT NULL DEFAULT 0 CHECK (enforcement_staff_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,64}$'),
      display_name text NOT NULL,
      password_hash text NOT NULL,
      roles text[] NOT NULL DEFAULT '{}'
        CHECK (roles <@ ARRAY['officer','reviewer','chief','legal_admin','supervisor','admin']::text[]),
      certificate_number text,
      certificate_domain text,
      certificate_valid_from date,
      certificate_valid_until date,
      reviewer_kind text CHECK (reviewer_kind IN ('staff', 'legal_adviser', 'public_lawyer')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX users_department_idx ON users (department_id);

    CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);

    CREATE TABLE workflow_definitions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      process_key text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      name text NOT NULL,
      xml text NOT NULL,
      sha256 text NOT NULL,
      deployed_by uuid REFERENCES users(id),
      deployed_at timestamptz NOT NULL DEFAULT now(),
      change_note text,
      UNIQUE (department_id, process_key, version)
    );

    CREATE TABLE process_instances (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      definition_id uuid NOT NULL REFERENCES workflow_definitions(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      business_key text,
      status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
      state jsonb,
      variables jsonb NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 0,
      error jsonb,
      started_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz
    );
    CREATE INDEX process_instances_department_idx ON process_instances (department_id, status, created_at DESC);

    CREATE TABLE tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      instance_id uuid NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
      department_id uuid NOT NULL REFERENCES departments(id),
      element_id text NOT NULL,
      execution_id text NOT NULL,
      name text NOT NULL,
      role text NOT NULL,
      assignee_id uuid REFERENCES users(id),
      form jsonb,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'cancelled')),
      due_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      completed_by uuid REFERENCES users(id),
      UNIQUE (instance_id, execution_id)
    );
    CREATE INDEX tasks_open_idx ON tasks (department_id, role, due_at) WHERE status = 'open';
    CREATE INDEX tasks_assignee_idx ON tasks (assignee_id) WHERE status = 'open';

    CREATE TABLE timers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      instance_id uuid NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
      element_id text NOT NULL,
      execution_id text NOT NULL,
      timer_type text NOT NULL,
      due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz
    );
    CREATE UNIQUE INDEX timers_pending_execution_idx ON timers (instance_id, execution_id) WHERE status = 'pending';
    CREATE INDEX timers_pending_due_idx ON timers (due_at) WHERE status = 'pending';

    CREATE TABLE instance_events (
      id bigserial PRIMARY KEY,
      instance_id uuid NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
      type text NOT NULL,
      element_id text,
      actor_id uuid REFERENCES users(id),
      payload jsonb NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX instance_events_instance_idx ON instance_events (instance_id, id);

    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(
    db,
    'DROP TABLE outbox, instance_events, timers, tasks, process_instances, workflow_definitions, sessions, users, departments;\n',
  );
}
