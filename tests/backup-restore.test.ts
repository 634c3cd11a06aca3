import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceAndCheckpoint } from '../server/records/tree.js';
import { createTestApp, manualClock, type TestApp } from './helpers/app.js';
import { ADMIN_URL, BACKEND } from './helpers/database.js';
import { sample, upload } from './helpers/evidence.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { type Crew, decidedCase, submitCase, tempDataDir } from './helpers/records.js';

// deploy/backup.sh and deploy/restore.sh drive pg_dump/pg_restore: PostgreSQL only.
const run = promisify(execFile);
const clock = manualClock(new Date());
const dataDir = tempDataDir();
const work = tempDataDir();
const restored: string[] = [];
let t: TestApp;
let caseId: string;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function emptyDatabase(): Promise<string> {
  const name = `fashen_restore_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  restored.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const script = (name: string, args: string[], env: Record<string, string>) =>
  run('bash', [`deploy/${name}`, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } }).then(
    (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
    (e) => ({ code: e.code as number, out: `${e.stdout}${e.stderr}` }),
  );

async function rows(url: string, query: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(query)).rows;
  } finally {
    await c.end();
  }
}

const CASES = 'SELECT id, case_number, title FROM cases ORDER BY id';
const DOCUMENTS = 'SELECT id, sm3, size FROM documents ORDER BY id';
const ATTACHMENTS = 'SELECT id, sm3, storage_key FROM case_attachments ORDER BY id';

beforeAll(async () => {
  if (BACKEND !== 'postgres') return;
  t = await createTestApp({ DATA_DIR: dataDir }, { clock });
  const d = await t.newDepartment();
  const crew: Crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
  caseId = (await decidedCase(t, crew)).caseId;
  // A decided case takes no more evidence: the attachment goes to a case still under review.
  const open = await submitCase(t, crew);
  const res = await upload(t, crew.officer, open, [{ name: '询问笔录.pdf', content: sample.pdf(20_000) }]);
  expect(res.statusCode).toBe(201);
  await sequenceAndCheckpoint(t.db, t.app.records.systemKey, clock.now());
});

afterAll(async () => {
  if (BACKEND !== 'postgres') return;
  await t.close();
  for (const name of restored) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

describe.skipIf(BACKEND !== 'postgres')('backup and restore (deploy/backup.sh, deploy/restore.sh)', () => {
  it('brings cases, documents and evidence files back into a fresh database and data dir, verified', {
    timeout: 120_000,
  }, async () => {
    const set = path.join(work, 'set');
    const backup = await script('backup.sh', [set], { DATABASE_URL: t.database.url, DATA_DIR: dataDir });
    expect(backup.code, backup.out).toBe(0);

    const url = await emptyDatabase();
    const freshData = path.join(work, 'restored-data');
    const restore = await script('restore.sh', [set], { DATABASE_URL: url, DATA_DIR: freshData });
    expect(restore.code, restore.out).toBe(0);
    expect(restore.out).toContain('restored from');

    for (const q of [CASES, DOCUMENTS, ATTACHMENTS]) expect(await rows(url, q)).toEqual(await rows(t.database.url, q));
    const attachments = (await rows(url, ATTACHMENTS)) as { storage_key: string }[];
    expect(attachments.length).toBe(1);
    expect((await rows(url, DOCUMENTS)).length).toBeGreaterThan(0);
    for (const a of attachments) {
      const file = (dir: string) => readFileSync(path.join(dir, 'attachments', a.storage_key));
      expect(file(freshData).equals(file(dataDir))).toBe(true);
    }
    expect((await rows(url, `SELECT id FROM cases WHERE id = '${caseId}'`)).length).toBe(1);
  });

  it('fails the restore when a restored evidence file differs from its recorded SM3', {
    timeout: 120_000,
  }, async () => {
    const set = path.join(work, 'tampered');
    expect((await script('backup.sh', [set], { DATABASE_URL: t.database.url, DATA_DIR: dataDir })).code).toBe(0);
    const [a] = (await rows(t.database.url, ATTACHMENTS)) as { storage_key: string }[];
    const file = path.join(set, 'data', 'attachments', a!.storage_key);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);

    const restore = await script('restore.sh', [set], {
      DATABASE_URL: await emptyDatabase(),
      DATA_DIR: path.join(work, 'tampered-data'),
    });
    expect(restore.code).not.toBe(0);
    expect(restore.out).toContain('[file]');
    expect(restore.out).toContain('SM3 不符');
    expect(restore.out).not.toContain('restored from');
  });

  it('refuses to restore over a database that already holds tables', async () => {
    const set = path.join(work, 'refused');
    expect((await script('backup.sh', [set], { DATABASE_URL: t.database.url, DATA_DIR: dataDir })).code).toBe(0);
    const target = path.join(work, 'refused-data');
    mkdirSync(target);
    const restore = await script('restore.sh', [set], { DATABASE_URL: t.database.url, DATA_DIR: target });
    expect(restore.code).not.toBe(0);
    expect(restore.out).toContain('not empty');
    expect(readdirSync(target)).toEqual([]);
  });
});
