/**
 * Schema-driven fuzzing of every /api route, as every role and as nobody: requests generated from the
 * service's own OpenAPI document (tests/helpers/fuzz.ts). Whatever comes in: no 5xx, errors in the one shape,
 * and nothing of another department's case in what a department's own staff get back.
 * FUZZ_RUNS (default 5) requests per route and role; `npx tsx bench/api-fuzz.ts` runs more.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/identity/roles.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { type FuzzRequest, type Operation, operationsOf, requests } from './helpers/fuzz.js';
import { FACTS, packet } from './helpers/review.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
/** Logging out would leave the rest of the run without a session. */
const SKIP = new Set(['DELETE /api/session']);
const SECRET = `保密当事人${Date.now().toString(36)}`;

let t: TestApp;
const users: { role: Role | 'anonymous'; user: TestUser | null; ownDepartmentOnly: boolean }[] = [];
const ids: string[] = [];
const tally = { requests: 0, byStatus: new Map<number, number>() };

async function submit(officer: TestUser, partyName: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet({ party: { ...packet().party, name: partyName } }), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().caseId;
}

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.newDepartment();
  const b = await t.newDepartment();
  const bureau = await t.newDepartment();
  for (const d of [a, b]) {
    const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
    await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  }
  const roles: Role[] = ['officer', 'reviewer', 'chief', 'legal_admin'];
  for (const role of roles) {
    users.push({ role, user: await t.newUser({ departmentId: a.id, roles: [role] }), ownDepartmentOnly: true });
  }
  users.push({
    role: 'supervisor',
    user: await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] }),
    ownDepartmentOnly: false,
  });
  users.push({
    role: 'admin',
    user: await t.newUser({ departmentId: bureau.id, roles: ['admin'] }),
    ownDepartmentOnly: false,
  });
  users.push({ role: 'anonymous', user: null, ownDepartmentOnly: true });
  const officerA = users[0].user as TestUser;
  const officerB = await t.newUser({ departmentId: b.id, roles: ['officer'] });
  ids.push(await submit(officerA, '本机关当事人'), await submit(officerB, SECRET), officerB.id);
  const tasks = await t.db.selectFrom('tasks').select('id').execute();
  ids.push(...tasks.map((r) => r.id));
}, 60_000);

afterAll(async () => {
  const statuses = [...tally.byStatus.entries()].sort(([x], [y]) => x - y).map(([s, n]) => `${s}×${n}`);
  console.log(`api fuzz: ${tally.requests} requests; ${statuses.join(' ')}`);
  await t.close();
});

function problemOf(req: FuzzRequest, status: number, body: string, ownDepartmentOnly: boolean): string | null {
  if (status >= 500) return `${status} ${body.slice(0, 300)}`;
  if (status >= 400) {
    let parsed: { error?: { code?: unknown; message?: unknown } };
    try {
      parsed = JSON.parse(body);
    } catch {
      return `${status} not JSON: ${body.slice(0, 100)}`;
    }
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string') {
      return `${status} not the error shape: ${body.slice(0, 200)}`;
    }
  }
  if (ownDepartmentOnly && body.includes(SECRET)) return `another department's case in the answer to ${req.url}`;
  return null;
}

describe('every /api route, every role, generated input', () => {
  it('answers no 5xx, errors in one shape, no other department’s data', { timeout: 600_000 }, async () => {
    const ops = operationsOf(t).filter((op: Operation) => !SKIP.has(`${op.method} ${op.path}`));
    expect(ops.length).toBeGreaterThan(100);
    for (const op of ops) {
      for (const { role, user, ownDepartmentOnly } of users) {
        await fc.assert(
          fc.asyncProperty(requests(op, user, ids), async (req) => {
            const res = await t.app.inject({
              method: req.method as 'GET',
              url: req.url,
              headers: req.headers,
              payload: req.payload,
            });
            tally.requests++;
            tally.byStatus.set(res.statusCode, (tally.byStatus.get(res.statusCode) ?? 0) + 1);
            const problem = problemOf(req, res.statusCode, res.body, ownDepartmentOnly);
            if (problem) throw new Error(`${op.method} ${op.path} as ${role}: ${problem}`);
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: true },
        );
      }
    }
  });
});
