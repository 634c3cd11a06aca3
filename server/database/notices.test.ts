import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { WriteWatch } from './notices.js';
import type { DB } from './schema.js';

function watched() {
  const watch = new WriteWatch();
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    plugins: [watch],
  });
  let writes = 0;
  watch.watch(['users', 'sessions'], () => writes++);
  return { db, writes: () => writes };
}

describe('the write watch', () => {
  it('sees updates, deletes and upserts of the watched tables, built or raw', async () => {
    const { db, writes } = watched();
    await db.updateTable('users').set({ active: false }).where('id', '=', 'x').execute();
    await db.updateTable('users as u').set({ active: false }).execute();
    await db.deleteFrom('sessions').where('id', '=', 'x').execute();
    await sql`UPDATE users SET active = false`.execute(db);
    await sql`delete from "sessions" where id = ${'x'}`.execute(db);
    await sql`TRUNCATE TABLE sessions`.execute(db);
    await db
      .insertInto('users')
      .values({ id: 'x' } as never)
      .onConflict((oc) => oc.column('id').doUpdateSet({ active: true }))
      .execute();
    expect(writes()).toBe(7);
  });

  it('ignores reads, inserts and writes of other tables', async () => {
    const { db, writes } = watched();
    await db.selectFrom('users').selectAll().execute();
    await db
      .insertInto('sessions')
      .values({ id: 'x' } as never)
      .execute();
    await db.updateTable('cases').set({ title: 't' }).execute();
    await sql`select * from process_instances where id = ${'x'} for update`.execute(db);
    await sql`update cases set title = 'users'`.execute(db);
    expect(writes()).toBe(0);
  });
});
