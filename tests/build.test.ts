import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { fashen, START_LIMIT_MS } from './helpers/processes.js';

const root = new URL('../', import.meta.url).pathname;
let database: TestDatabase;
let builds: string;
beforeAll(async () => {
  database = await createTestDatabase(2);
  builds = mkdtempSync(join(tmpdir(), 'fashen-build-'));
});
afterAll(async () => {
  await database.drop();
  rmSync(builds, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
    let output = '';
    proc.stdout.on('data', (d) => {
      output += d;
    });
    proc.stderr.on('data', (d) => {
      output += d;
    });
    proc.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the compiled service', { timeout: 3 * START_LIMIT_MS }, () => {
  it('is built once when several processes start at the same moment', async () => {
    const env = { FASHEN_BUILD_DIR: builds };
    const results = await Promise.all([1, 2, 3].map(() => run(['server/build.mjs'], env)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const dirs = readdirSync(builds);
    expect(dirs).toHaveLength(1); // one build, no temporary directory left behind
    const migrations = readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.ts'));
    for (const m of migrations)
      expect(existsSync(join(builds, dirs[0], 'migrations', m.replace(/ts$/, 'js')))).toBe(true);
    // Unchanged sources: the next start reuses the build and prints nothing.
    const again = await run(['server/build.mjs'], env);
    expect(again).toEqual({ code: 0, output: '' });
    expect(readdirSync(builds)).toEqual(dirs);
  });

  it('runs from the build and names migrations as the sources do', async () => {
    // The database was migrated from the TypeScript sources; the compiled migrations must be the same ones,
    // or kysely would refuse the database ("previously executed migration not found") or apply them twice.
    const child = fashen('migrate', { DATABASE_URL: database.url, FASHEN_BUILD_DIR: builds });
    const code = await new Promise<number | null>((r) => child.proc.once('exit', (c) => r(c)));
    expect(child.output()).not.toContain('编译失败');
    expect(code).toBe(0);
    expect(child.output()).toContain('migrations applied');
    const names = await database.handle.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    const files = readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.ts'));
    expect(names.map((n) => (n as { name: string }).name).sort()).toEqual(files.map((f) => f.slice(0, -3)).sort());
  });
});
