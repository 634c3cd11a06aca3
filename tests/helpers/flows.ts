import { readFile } from 'node:fs/promises';
import type { TestApp, TestUser } from './app.js';

export function fixture(name: string): Promise<string> {
  return readFile(new URL(`../fixtures/bpmn/${name}`, import.meta.url), 'utf8');
}

export function workflowFile(name: string): Promise<string> {
  return readFile(new URL(`../../workflows/${name}`, import.meta.url), 'utf8');
}

/** Deploys BPMN through the API as a legal admin; returns the response body. */
export async function deploy(t: TestApp, legalAdmin: TestUser, xml: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/workflows',
    headers: { ...t.as(legalAdmin), 'content-type': 'application/xml' },
    payload: xml,
  });
  if (res.statusCode !== 201) throw new Error(`deploy failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; processKey: string; version: number };
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
