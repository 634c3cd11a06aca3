import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../server/database/schema.js';
import { BACKEND, createTestDatabase, type TestDatabase } from './helpers/database.js';

// What the service reads back from a write (counts, bytes) must be the same on both drivers: on PGlite the
// counts read 0 and bytea came back as a bare Uint8Array, so writes answered wrongly while saving.
type Probe = {
  driver_probe: { id: number; label: string; bytes: Buffer | null };
};

let database: TestDatabase;
let db: Kysely<DB & Probe>;
const BYTES = Buffer.from([0, 1, 2, 250, 255]);

beforeAll(async () => {
  database = await createTestDatabase(2);
  db = database.handle.db.withTables<Probe>();
  await sql`CREATE TABLE driver_probe (id int PRIMARY KEY, label text NOT NULL, bytes bytea)`.execute(db);
  const inserted = await db
    .insertInto('driver_probe')
    .values([1, 2, 3].map((id) => ({ id, label: id === 3 ? 'c' : 'ab', bytes: id === 1 ? BYTES : null })))
    .executeTakeFirstOrThrow();
  expect(inserted.numInsertedOrUpdatedRows).toBe(3n);
});
afterAll(() => database.drop());

describe(`the ${BACKEND} driver`, () => {
  it('counts the rows an update touched, and none when nothing matched', async () => {
    const two = await db.updateTable('driver_probe').set({ label: 'x' }).where('label', '=', 'ab').executeTakeFirst();
    expect(two.numUpdatedRows).toBe(2n);
    const none = await db.updateTable('driver_probe').set({ label: 'y' }).where('id', '=', 99).executeTakeFirst();
    expect(none.numUpdatedRows).toBe(0n);
  });

  it('counts the rows an update touched inside a transaction', async () => {
    const counted = await db
      .transaction()
      .execute((trx) => trx.updateTable('driver_probe').set({ label: 'z' }).where('id', '=', 3).executeTakeFirst());
    expect(counted.numUpdatedRows).toBe(1n);
  });

  it('counts deleted rows, and a raw statement reports a count only for writes, as pg does', async () => {
    await db.insertInto('driver_probe').values({ id: 10, label: 'gone' }).execute();
    const deleted = await db.deleteFrom('driver_probe').where('id', '=', 10).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
    const raw = await sql`UPDATE driver_probe SET label = label WHERE id IN (1, 2)`.execute(db);
    expect(raw.numAffectedRows).toBe(2n);
    const read = await sql`SELECT id FROM driver_probe`.execute(db);
    expect(read.numAffectedRows).toBeUndefined();
  });

  it('returns bytea as a Buffer, byte for byte', async () => {
    const row = await db.selectFrom('driver_probe').select('bytes').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(Buffer.isBuffer(row.bytes)).toBe(true);
    expect(row.bytes?.equals(BYTES)).toBe(true);
    const returned = await db
      .updateTable('driver_probe')
      .set({ bytes: Buffer.from('改') })
      .where('id', '=', 2)
      .returning('bytes')
      .executeTakeFirstOrThrow();
    expect(Buffer.isBuffer(returned.bytes)).toBe(true);
    expect(returned.bytes?.toString()).toBe('改');
  });
});
