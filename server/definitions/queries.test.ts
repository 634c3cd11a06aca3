import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../database/schema.js';
import * as q from './queries.js';

/** A Kysely that runs nothing and records the SQL it would have sent. */
function recordingDb() {
  const statements: string[] = [];
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') statements.push(event.query.sql);
    },
  });
  return { db, statements };
}

// The SQL of the queries deploys depend on, so that a changed query shows up in review.
describe('definition queries compile to the expected SQL', () => {
  it('takes a per-department, per-key advisory lock for the deploy transaction', async () => {
    const { db, statements } = recordingDb();
    await db.transaction().execute((trx) => q.lockProcessKey(trx, 'dept', 'key'));
    expect(statements).toMatchInlineSnapshot(`
      [
        "SELECT pg_advisory_xact_lock(hashtext($1 || $2))",
      ]
    `);
  });

  it('reads the latest version of a key', async () => {
    const { db, statements } = recordingDb();
    await q.findLatestVersion(db, 'dept', 'key');
    expect(statements).toMatchInlineSnapshot(`
      [
        "select "id", "department_id", "process_key", "version", "name", "sha256", "deployed_by", "deployed_at", "change_note" from "workflow_definitions" where "department_id" = $1 and "process_key" = $2 order by "version" desc limit $3",
      ]
    `);
  });

  it('lists the latest version of each key with its version count', async () => {
    const { db, statements } = recordingDb();
    await q.listLatestDefinitions(db, { departmentId: 'dept' });
    expect(statements).toMatchInlineSnapshot(`
      [
        "select distinct on ("department_id", "process_key") "id", "department_id", "process_key", "version", "name", "sha256", "deployed_by", "deployed_at", "change_note", count(*) OVER (PARTITION BY department_id, process_key)::int as "version_count" from "workflow_definitions" where "department_id" = $1 order by "department_id", "process_key", "version" desc",
      ]
    `);
  });
});
