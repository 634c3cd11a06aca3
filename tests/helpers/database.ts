import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../server/database/connect.js';
import { migrateToLatest } from '../../server/database/migrate.js';

/**
 * Which database the integration tests run on: the `pglite` vitest project sets TEST_DB=pglite (what
 * `npm start` uses), the default project runs on the PostgreSQL server.
 */
export const BACKEND: 'postgres' | 'pglite' = process.env.TEST_DB === 'pglite' ? 'pglite' : 'postgres';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The template's name changes whenever a migration changes, so a stale template is never reused. */
export function templateName(): string {
  const dir = new URL('../../migrations/', import.meta.url);
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(new URL(f, dir)));
  return `fashen_tpl_${h.digest('hex').slice(0, 12)}`;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function pgliteTemplateFile(): string {
  return path.join(tmpdir(), `${templateName()}.pglite.tar`);
}

/** The embedded database's template: a snapshot of a migrated PGlite data directory, made once per migrations. */
export async function ensurePgliteTemplate(): Promise<string> {
  const file = pgliteTemplateFile();
  if (existsSync(file)) return file;
  const handle = await connectDatabase({ dataDir: '', inMemory: {} });
  await migrateToLatest(handle.db);
  const snapshot = await handle.snapshot?.();
  await handle.close();
  if (!snapshot) throw new Error('PGlite handle without snapshot');
  const building = `${file}.${randomBytes(3).toString('hex')}`;
  writeFileSync(building, Buffer.from(await snapshot.arrayBuffer()));
  renameSync(building, file); // atomic: another run that raced us wrote the same content
  return file;
}

/** Creates the migrated template database once per migrations content (vitest globalSetup). */
export async function ensureTemplate(): Promise<string> {
  if (BACKEND === 'pglite') return ensurePgliteTemplate();
  return ensurePostgresTemplate();
}

async function ensurePostgresTemplate(): Promise<string> {
  const name = templateName();
  const exists = await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
  if (exists.rowCount) return name;
  const building = `${name}_build_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${building}"`));
  const handle = await connectDatabase({ databaseUrl: urlFor(building), dataDir: '', poolSize: 2 });
  await migrateToLatest(handle.db);
  await handle.close();
  await admin(async (c) => {
    try {
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch {
      await c.query(`DROP DATABASE IF EXISTS "${building}"`); // another run won the race
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

/** A fresh database for one test file, copied from the migrated template. */
export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  // Files share a worker's modules (isolate: false), so a worker must never pass from one project to the other.
  if (BACKEND !== (process.env.TEST_DB === 'pglite' ? 'pglite' : 'postgres'))
    throw new Error(`this worker's modules were loaded for ${BACKEND}, but TEST_DB is ${process.env.TEST_DB}`);
  if (BACKEND === 'pglite') {
    const snapshot = new Blob([readFileSync(await ensurePgliteTemplate())]);
    const handle = await connectDatabase({ dataDir: '', inMemory: { snapshot } });
    return {
      name: 'pglite',
      get url(): string {
        throw new Error('the embedded database has no URL: this test needs PostgreSQL (run it in the pg project only)');
      },
      handle,
      drop: () => handle.close(),
    };
  }
  // Made here too, so that a bench on a fresh machine (no vitest globalSetup) finds it.
  const template = await ensurePostgresTemplate();
  const name = `fashen_t_${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (err) {
      // Two files copying the template at the same instant collide ("being accessed by other users").
      if (attempt >= 20 || !/being accessed/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
  const url = urlFor(name);
  const handle = await connectDatabase({ databaseUrl: url, dataDir: '', poolSize, onIdleError: () => undefined });
  return {
    name,
    url,
    handle,
    async drop() {
      await handle.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
