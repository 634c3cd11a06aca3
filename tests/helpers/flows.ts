import { readFile } from 'node:fs/promises';
import type { TestApp, TestUser } from './app.js';

export function fixture(name: string): Promise<string> {
  return readFile(new URL(`../fixtures/bpmn/${name}`, import.meta.url), 'utf8');
}

export function workflowFile(name: string): Promise<string> {
  return readFile(new URL(`../../workflows/${name}`, import.meta.url), 'utf8');
}

const approvers = new WeakMap<TestApp, Map<string, TestUser>>();

/** A second legal admin of the department (made once per app), who approves the others' deployment requests. */
export async function secondLegalAdmin(t: TestApp, departmentId: string): Promise<TestUser> {
  const byDepartment = approvers.get(t) ?? new Map<string, TestUser>();
  approvers.set(t, byDepartment);
  let user = byDepartment.get(departmentId);
  if (!user) {
    user = await t.newUser({ departmentId, roles: ['legal_admin'] });
    byDepartment.set(departmentId, user);
  }
  return user;
}

/** Approves a deployment request as a second legal admin of its department; returns the deployed version. */
export async function approveRequest(t: TestApp, departmentId: string, requestId: string) {
  const approver = await secondLegalAdmin(t, departmentId);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/deployment-requests/${requestId}/approve`,
    headers: t.as(approver),
  });
  if (res.statusCode !== 200) throw new Error(`approval failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { definitionId: string; processKey: string; version: number };
  return { id: body.definitionId, processKey: body.processKey, version: body.version };
}

/**
 * Deploys BPMN through the API as it is done: the legal admin proposes it (raw XML upload), a second legal admin
 * of the same department approves it. Returns the deployed version.
 */
export async function deploy(t: TestApp, legalAdmin: TestUser, xml: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/workflows',
    headers: { ...t.as(legalAdmin), 'content-type': 'application/xml' },
    payload: xml,
  });
  if (res.statusCode !== 202) throw new Error(`deploy request failed: ${res.statusCode} ${res.body}`);
  return approveRequest(t, legalAdmin.departmentId, (res.json() as { id: string }).id);
}

export interface CommandResult {
  instanceId: string;
  status: string;
  version: number;
  openTasks: { id: string; elementId: string }[];
}

export async function startInstance(
  t: TestApp,
  user: TestUser,
  processKey: string,
  variables: Record<string, unknown> = {},
) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/instances',
    headers: t.as(user),
    payload: { processKey, variables },
  });
  return res;
}

export function complete(t: TestApp, user: TestUser, taskId: string, payload: Record<string, unknown> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/complete`, headers: t.as(user), payload });
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

/**
 * For tests written when an upload deployed at once: approves a proposal (202) as a second legal admin and
 * answers as the upload did then (201 with the deployed version); any other response is returned as it is.
 */
export async function approvedUpload<R extends { statusCode: number; json(): unknown }>(t: TestApp, res: R) {
  if (res.statusCode !== 202) return res;
  const request = res.json() as { id: string; departmentId: string; processKey: string };
  const { version } = await approveRequest(t, request.departmentId, request.id);
  const approver = await secondLegalAdmin(t, request.departmentId);
  const versions = await t.app.inject({
    url: `/api/workflows/${request.processKey}/versions`,
    headers: t.as(approver),
  });
  const found = (versions.json() as { version: number; changeNote: unknown; deployedByName: unknown }[]).find(
    (v) => v.version === version,
  );
  const { changeNote: _note, deployedByName: _name, ...deployed } = found ?? { changeNote: null, deployedByName: null };
  return { ...res, statusCode: 201, json: () => deployed } as R;
}
