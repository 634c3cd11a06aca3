import { type Kysely, sql } from 'kysely';

/**
 * A coordination (协调) that ends in agreement binds both units: the handling unit's head confirms the agreed
 * conclusion before the meeting's record is completed (the review unit's head confirms by completing it). One row
 * per case, round and side; a later confirmation of another conclusion replaces the earlier one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE coordination_confirmations (
      case_id uuid NOT NULL REFERENCES cases(id),
      round integer NOT NULL,
      side text NOT NULL CHECK (side IN ('handling', 'review')),
      outcome text NOT NULL CHECK (outcome IN ('agree_with_review', 'agree_with_handling')),
      user_id uuid NOT NULL REFERENCES users(id),
      confirmed_at timestamptz NOT NULL,
      PRIMARY KEY (case_id, round, side)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE coordination_confirmations`.execute(db);
}
