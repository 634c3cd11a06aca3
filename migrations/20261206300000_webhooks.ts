import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Webhooks: subscribers the admin registers, an outbox row for every case record (written by a trigger in the
 * transaction that appends the record, so an event exists exactly when its record committed), and one delivery
 * per subscriber and event, delivered in order per case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE webhook_subscribers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      url text NOT NULL CHECK (url ~ '^https?://' AND char_length(url) <= 2000),
      events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 50),
      sealed_secret text NOT NULL,
      concurrency integer NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 64),
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE webhook_outbox (
      id bigserial PRIMARY KEY,
      record_id bigint NOT NULL,
      case_id uuid NOT NULL,
      seq integer NOT NULL
    )`,
    `CREATE FUNCTION fashen_webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO webhook_outbox (record_id, case_id, seq) VALUES (NEW.id, NEW.case_id, NEW.seq);
        RETURN NULL;
      END $$`,
    `CREATE TRIGGER case_records_webhook_outbox AFTER INSERT ON case_records
      FOR EACH ROW EXECUTE FUNCTION fashen_webhook_outbox()`,
    `CREATE TABLE webhook_deliveries (
      id bigserial PRIMARY KEY,
      subscriber_id uuid NOT NULL REFERENCES webhook_subscribers(id) ON DELETE CASCADE,
      event_id text NOT NULL,
      event_type text NOT NULL,
      case_id uuid NOT NULL,
      seq integer NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      enqueued boolean NOT NULL DEFAULT false,
      lease_until timestamptz,
      last_status integer,
      last_response text,
      last_error text,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (subscriber_id, event_id)
    )`,
    'CREATE INDEX webhook_deliveries_lane_idx ON webhook_deliveries (subscriber_id, case_id, seq)',
    `CREATE INDEX webhook_deliveries_open_idx ON webhook_deliveries (subscriber_id, case_id, seq)
      WHERE status <> 'delivered'`,
    'CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (subscriber_id, id DESC)',
    // What the poll looks for every WEBHOOK_POLL_MS: pending deliveries not yet handed to the queue.
    "CREATE INDEX webhook_deliveries_unqueued_idx ON webhook_deliveries (id) WHERE status = 'pending' AND NOT enqueued",
    `CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      status_code integer,
      response text,
      error text,
      duration_ms integer NOT NULL
    )`,
    'CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id)',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TABLE webhook_attempts, webhook_deliveries, webhook_outbox, webhook_subscribers',
    'DROP TRIGGER case_records_webhook_outbox ON case_records',
    'DROP FUNCTION fashen_webhook_outbox()',
  ]);
}
