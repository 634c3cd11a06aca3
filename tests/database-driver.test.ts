import { CompiledQuery, type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAfter } from '../server/database/deferred-begin.js';
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

  // On PostgreSQL a transaction's BEGIN travels with its first statement (server/database/deferred-begin.ts).
  it('runs a transaction’s first statement and the rest in one transaction', async () => {
    const [first, second] = await db
      .transaction()
      .execute(async (trx) => [
        (
          await sql<{ x: string; at: Date }>`SELECT txid_current()::text AS x, now() AS at WHERE ${'a'} = 'a'`.execute(
            trx,
          )
        ).rows[0],
        (await sql<{ x: string; at: Date }>`SELECT txid_current()::text AS x, now() AS at`.execute(trx)).rows[0],
      ]);
    expect(second).toEqual(first);
  });

  it('rolls back a first statement when a later one fails, and a failing first statement', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.updateTable('driver_probe').set({ label: 'rolled back' }).where('id', '=', 1).execute();
      await sql`SELECT 1 / 0`.execute(trx);
    });
    await expect(failing).rejects.toThrow(/division by zero/);
    await expect(
      db.transaction().execute((trx) => sql`SELECT * FROM no_such_table WHERE id = ${1}`.execute(trx)),
    ).rejects.toThrow(/no_such_table/);
    const row = await db.selectFrom('driver_probe').select('label').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(row.label).not.toBe('rolled back');
    expect(await db.transaction().execute(async () => 'nothing sent')).toBe('nothing sent');
  });

  it('reads back every kind of parameter a first statement carries as the same value', async () => {
    const values: unknown[] = ["it's", 'a\\b', '改 $1 -- /*', '', 42, -1.5, true, false, 9007199254740993n, null];
    const read = (q: Kysely<DB & Probe>) =>
      Promise.all(
        values.map(async (v) => (await sql<{ v: string | null }>`SELECT ${v}::text AS v`.execute(q)).rows[0].v),
      );
    const outside = await read(db);
    const inside = await Promise.all(
      values.map((v) =>
        db
          .transaction()
          .execute(async (trx) => (await sql<{ v: string | null }>`SELECT ${v}::text AS v`.execute(trx)).rows[0].v),
      ),
    );
    expect(inside).toEqual(outside);
    expect(outside.slice(0, 5)).toEqual(["it's", 'a\\b', '改 $1 -- /*', '', '42']);
    const stamped = await db.transaction().execute(async (trx) => {
      const r = await sql<{
        d: Date;
        b: Buffer;
      }>`SELECT ${new Date(0)}::timestamptz AS d, ${BYTES}::bytea AS b`.execute(trx);
      return r.rows[0];
    });
    expect(stamped.d.getTime()).toBe(0);
    expect(Buffer.from(stamped.b).equals(BYTES)).toBe(true);
  });

  // On PostgreSQL a statement marked as its transaction's last travels with the COMMIT; on PGlite the mark is a
  // comment and kysely commits as usual. Either way the transaction commits once, with everything in it.
  const last = (trx: Kysely<DB & Probe>, text: string, parameters: unknown[]) =>
    trx.executeQuery<{ label: string; at: Date; tx: string }>(CompiledQuery.raw(commitAfter(text), parameters));

  it('commits a transaction whose last statement carries its COMMIT, with what that statement returns', async () => {
    const at = new Date('2026-12-07T10:00:00.123Z');
    const { first, rows } = await db.transaction().execute(async (trx) => {
      const first = (await sql<{ tx: string }>`SELECT txid_current()::text AS tx WHERE ${'a'} = 'a'`.execute(trx))
        .rows[0];
      const { rows } = await last(
        trx,
        'UPDATE driver_probe SET label = $1::jsonb ->> $2 WHERE id = 3 RETURNING label, $3::timestamptz AS at, txid_current()::text AS tx',
        [{ label: "it's 改" }, 'label', at],
      );
      return { first, rows };
    });
    expect(rows).toEqual([{ label: "it's 改", at, tx: first.tx }]);
    const row = await db.selectFrom('driver_probe').select('label').where('id', '=', 3).executeTakeFirstOrThrow();
    expect(row.label).toBe("it's 改");
    // The connection is free and outside any transaction again.
    const after = await db
      .transaction()
      .execute((trx) => sql<{ tx: string }>`SELECT txid_current()::text AS tx`.execute(trx));
    expect(after.rows[0].tx).not.toBe(first.tx);
  });

  it('commits nothing when the last statement fails', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.updateTable('driver_probe').set({ label: 'rolled back' }).where('id', '=', 2).execute();
      await last(trx, 'UPDATE driver_probe SET label = $1 WHERE id = 1 / 0', ['never']);
    });
    await expect(failing).rejects.toThrow(/division by zero/);
    const labels = await db.selectFrom('driver_probe').select('label').where('id', 'in', [1, 2]).execute();
    expect(labels.map((l) => l.label)).not.toContain('rolled back');
    expect(labels.map((l) => l.label)).not.toContain('never');
  });

  it.runIf(BACKEND === 'postgres')('refuses a statement after the one that committed', async () => {
    const late = db.transaction().execute(async (trx) => {
      await last(trx, 'UPDATE driver_probe SET label = $1 WHERE id = 1', ['committed']);
      await trx.updateTable('driver_probe').set({ label: 'outside' }).where('id', '=', 1).execute();
    });
    await expect(late).rejects.toThrow(/after its transaction committed/);
    const row = await db.selectFrom('driver_probe').select('label').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(row.label).toBe('committed');
  });
});
