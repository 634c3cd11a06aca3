import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { verifyArchive } from '../server/records/archive-verify.js';
import { sequenceAndCheckpoint } from '../server/records/tree.js';
import { createTestApp, manualClock, type TestApp } from './helpers/app.js';
import { BACKEND } from './helpers/database.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { asSuperuser, type Crew, decidedCase, tempDataDir } from './helpers/records.js';

const run = promisify(execFile);
const clock = manualClock(new Date());
const dataDir = tempDataDir();
let t: TestApp;
let crew: Crew;
let caseId: string;
let archive: string;

/** Rewrites one entry of a zip, keeping all others byte for byte. */
async function rewriteEntry(from: string, to: string, name: string, change: (b: Buffer) => Buffer) {
  const zip = await yauzl.openPromise(from, { lazyEntries: true });
  const out = new yazl.ZipFile();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const c of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(c);
    const content = Buffer.concat(chunks);
    out.addBuffer(entry.fileName.startsWith(name) ? change(content) : content, entry.fileName);
  }
  zip.close();
  out.end();
  const parts: Buffer[] = [];
  for await (const c of out.outputStream as AsyncIterable<Buffer>) parts.push(c);
  await writeFile(to, Buffer.concat(parts));
}

const fashen = (args: string[]) =>
  run(process.execPath, ['server/fashen.mjs', ...args], {
    env: {
      ...process.env,
      ...(BACKEND === 'postgres' ? { DATABASE_URL: t.database.url } : {}),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    },
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e) => ({ code: e.code as number, out: `${e.stdout}${e.stderr}` }),
  );

beforeAll(async () => {
  t = await createTestApp({ DATA_DIR: dataDir }, { clock });
  const d = await t.newDepartment();
  crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
  caseId = (await decidedCase(t, crew)).caseId;
  await sequenceAndCheckpoint(t.db, t.app.records.systemKey, clock.now());
  const res = await t.app.inject({ url: `/api/cases/${caseId}/archive`, headers: t.as(crew.officer) });
  expect(res.statusCode).toBe(200);
  archive = path.join(dataDir, 'case.zip');
  await writeFile(archive, res.rawPayload);
});
afterAll(() => t.close());

describe('the case archive (案卷)', () => {
  it('verifies offline against the published system key', async () => {
    const v = await verifyArchive(archive, [t.app.records.systemKey.publicKey]);
    expect(v).toMatchObject({ ok: true, caseId, keySource: 'configured', problems: [] });
    expect(v.proven).toBe(v.records);
    expect(v.signatures.map((s) => s.label)).toEqual(['签名有效', '签名有效']);
  });

  it('fails on one changed byte of a document, naming the record that vouches for it', async () => {
    const bad = path.join(dataDir, 'doc-changed.zip');
    await rewriteEntry(archive, bad, 'documents/', (b) => {
      const c = Buffer.from(b);
      c[c.length - 10] ^= 1;
      return c;
    });
    const v = await verifyArchive(bad, [t.app.records.systemKey.publicKey]);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ check: 'file' });
  });

  it('fails on a changed record line and on a checkpoint signed by another key', async () => {
    const bad = path.join(dataDir, 'record-changed.zip');
    await rewriteEntry(archive, bad, 'record.jsonl', (b) =>
      Buffer.from(b.toString().replace('case.decided', 'case.decidee')),
    );
    expect((await verifyArchive(bad, [t.app.records.systemKey.publicKey])).problems[0]).toMatchObject({
      check: 'hash',
    });
    const other = `04${'1'.repeat(128)}`;
    const v = await verifyArchive(archive, [other]);
    expect(v.problems.some((p) => p.check === 'checkpoint')).toBe(true);
  });

  it('is accepted on import when intact and refused when modified', async () => {
    const supervisor = await t.newUser({ departmentId: (await t.newDepartment()).id, roles: ['supervisor'] });
    const upload = async (file: string) => {
      const boundary = '----fashen';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\nContent-Type: application/zip\r\n\r\n`,
        ),
        await readFile(file),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: '/api/records/archives',
        headers: { ...t.as(supervisor), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const ok = await upload(archive);
    expect(ok.statusCode).toBe(201);
    const bad = path.join(dataDir, 'doc-changed.zip');
    const refused = await upload(bad);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('ARCHIVE_INVALID');
  });
});

// Each `fashen` run starts tsx and opens the database: seconds each, more on a loaded machine.
describe('the command line', { timeout: 120_000 }, () => {
  it('`fashen verify-archive` passes an intact archive and fails a modified one', async () => {
    const key = t.app.records.systemKey.publicKey;
    const good = await fashen(['verify-archive', archive, '--key', key]);
    expect(good.code).toBe(0);
    expect(good.out).toContain('结果: 通过');
    const bad = await fashen(['verify-archive', path.join(dataDir, 'record-changed.zip'), '--key', key]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('第一处断裂');
  });

  // `fashen verify` opens the database from another process: PostgreSQL only (PGlite is this process's).
  it.skipIf(BACKEND === 'pglite')(
    '`fashen verify` passes the store, then names the first broken link after tampering',
    async () => {
      const good = await fashen(['verify']);
      expect(good.out).toContain('结果: 通过');
      expect(good.code).toBe(0);
      await asSuperuser(t, [`UPDATE case_records SET body = body || ' ' WHERE case_id = '${caseId}' AND seq = 2`]);
      const bad = await fashen(['verify']);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(new RegExp(`第一处断裂：\\n  \\[hash\\] 案件 ${caseId} 第 2 条`));
    },
  );
});
