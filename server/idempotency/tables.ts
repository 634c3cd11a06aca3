import type { ColumnType } from 'kysely';

/** A keyed request of one user: pending while it runs (status_code null), then its first answer. */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  content_type: string | null;
  response: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}
