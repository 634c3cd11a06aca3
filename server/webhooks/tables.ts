import type { ColumnType, Generated, Selectable } from 'kysely';

type Bigint = ColumnType<number, number | bigint | undefined, never>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A subscriber the admin registered: where to POST, which event types, the sealed HMAC-SM3 secret. */
export interface WebhookSubscribersTable {
  id: Generated<string>;
  name: string;
  url: string;
  events: string[];
  sealed_secret: string;
  concurrency: Generated<number>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** A case record not yet fanned out to the subscribers; written by a trigger on case_records. */
export interface WebhookOutboxTable {
  id: Generated<number>;
  record_id: number;
  case_id: string;
  seq: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One event for one subscriber: its body is fixed when fanned out, so every attempt sends the same bytes. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  subscriber_id: string;
  event_id: string;
  event_type: string;
  case_id: string;
  seq: number;
  body: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  enqueued: Generated<boolean>;
  lease_until: Nullable<Date>;
  last_status: Nullable<number>;
  last_response: Nullable<string>;
  last_error: Nullable<string>;
  last_attempt_at: Nullable<Date>;
  delivered_at: Nullable<Date>;
  created_at: Generated<Date>;
}

export interface WebhookAttemptsTable {
  id: Bigint;
  delivery_id: number;
  at: Generated<Date>;
  status_code: number | null;
  response: string | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookTables {
  webhook_subscribers: WebhookSubscribersTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type SubscriberRow = Selectable<WebhookSubscribersTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
