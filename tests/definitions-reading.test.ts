import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionCache } from '../server/definitions/compile.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { approvedUpload } from './helpers/flows.js';

const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/bpmn/${name}`, import.meta.url));
const simpleApproval = readFileSync(fixturePath('simple-approval.bpmn'), 'utf8');
/** The same workflow with another display name, and optionally another process key. */
const variant = (name: string, key = 'simple_approval') =>
  simpleApproval.replace('name="简易审批"', `name="${name}"`).replace(/simple_approval/g, key);

let t: TestApp;
let deptA: { id: string; code: string };
let deptB: { id: string; code: string };
let legalA: TestUser;
let legalB: TestUser;
let officerA: TestUser;
let supervisor: TestUser;

async function deploy(user: TestUser, xml: string, note = '') {
  return approvedUpload(
    t,
    await t.app.inject({
      method: 'POST',
      url: `/api/workflows${note && `?note=${encodeURIComponent(note)}`}`,
      headers: { 'content-type': 'application/xml', ...t.as(user) },
      payload: xml,
    }),
  );
}

const get = (user: TestUser, url: string) => t.app.inject({ url, headers: t.as(user) });

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment();
  deptB = await t.newDepartment();
  const bureau = await t.newDepartment();
  legalA = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
  legalB = await t.newUser({ departmentId: deptB.id, roles: ['legal_admin'] });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  // Given: three versions of simple_approval in department A, and a workflow of department B's own.
  await deploy(legalA, simpleApproval, '初始版本');
  await deploy(legalA, variant('简易审批（二）'), '第二版');
  await deploy(legalA, variant('简易审批（三）'));
  await deploy(legalB, variant('乙机关流程', 'b_only'));
});
afterAll(() => t.close());

describe('reading definitions', () => {
  it('lists the latest version of each key in the caller’s department only', async () => {
    const res = await get(officerA, '/api/workflows');
    expect(res.statusCode).toBe(200);
    const list = res.json() as { departmentId: string; processKey: string; version: number; versionCount: number }[];
    expect(list.every((d) => d.departmentId === deptA.id)).toBe(true);
    const simple = list.find((d) => d.processKey === 'simple_approval');
    expect(simple).toMatchObject({ version: 3, versionCount: 3, name: '简易审批（三）' });
  });

  it('lets a supervisor list every department, or one with ?department', async () => {
    const all = (await get(supervisor, '/api/workflows')).json() as { departmentId: string }[];
    expect(new Set(all.map((d) => d.departmentId))).toEqual(new Set([deptA.id, deptB.id]));
    const onlyB = (await get(supervisor, `/api/workflows?department=${deptB.code}`)).json() as {
      departmentId: string;
    }[];
    expect(onlyB.length).toBeGreaterThan(0);
    expect(onlyB.every((d) => d.departmentId === deptB.id)).toBe(true);
  });

  it('refuses another department’s list to an officer', async () => {
    expect((await get(officerA, `/api/workflows?department=${deptB.code}`)).statusCode).toBe(403);
  });

  it('lists versions with who deployed them, when, and why', async () => {
    const res = await get(legalA, '/api/workflows/simple_approval/versions');
    expect(res.statusCode).toBe(200);
    const versions = res.json() as {
      version: number;
      deployedBy: string;
      deployedByName: string;
      changeNote: string | null;
    }[];
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[1].changeNote).toBe('第二版');
    expect(versions.at(-1)).toMatchObject({ version: 1, deployedBy: legalA.id, changeNote: '初始版本' });
    expect(versions.at(-1)?.deployedByName).toMatch(/^测试用户/);
  });

  it('does not show one department’s versions to another, except to a supervisor who asks', async () => {
    expect((await get(legalB, '/api/workflows/b_only/versions')).statusCode).toBe(200);
    expect((await get(legalA, '/api/workflows/b_only/versions')).statusCode).toBe(404);
    expect((await get(supervisor, `/api/workflows/b_only/versions?department=${deptB.code}`)).statusCode).toBe(200);
    expect((await get(legalA, `/api/workflows/b_only/versions?department=${deptB.code}`)).statusCode).toBe(403);
  });

  it('returns the XML of a version as application/xml', async () => {
    const res = await get(officerA, '/api/workflows/simple_approval/versions/1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.body).toBe(simpleApproval);
  });

  it('answers a missing version with 404 DEFINITION_NOT_FOUND', async () => {
    const res = await get(officerA, '/api/workflows/simple_approval/versions/999');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('DEFINITION_NOT_FOUND');
  });
});

describe('DefinitionCache', () => {
  it('compiles a definition once and serves it from memory afterwards', async () => {
    const created = (await deploy(legalA, variant('缓存测试', 'cached'))).json();
    const cache = new DefinitionCache(2);
    const compiled = await cache.get(t.db, created.id);
    expect(compiled).toMatchObject({ definitionId: created.id, processKey: 'cached', version: 1, name: '缓存测试' });
    expect(compiled.userTasks.get('Task_review')?.role).toBe('reviewer');
    expect(await cache.get(t.db, created.id)).toBe(compiled);
  });

  it('answers an unknown id with 404 DEFINITION_NOT_FOUND and does not keep the miss', async () => {
    const cache = new DefinitionCache();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      await expect(cache.get(t.db, id)).rejects.toMatchObject({ statusCode: 404, code: 'DEFINITION_NOT_FOUND' });
    }
    await Promise.resolve();
    expect(cache.size).toBe(0);
  });
});

describe('deployFromFile', () => {
  it('deploys a file to a department by code, recording the deployer', async () => {
    const result = await t.core.deployFile({
      file: fixturePath('timer-escalation.bpmn'),
      departmentCode: deptB.code,
      deployedByUsername: legalB.username,
      note: '命令行部署',
    });
    expect(result).toMatchObject({
      processKey: 'timer_escalation',
      version: 1,
      departmentId: deptB.id,
      deployedBy: legalB.id,
      created: true,
    });
  });
});
