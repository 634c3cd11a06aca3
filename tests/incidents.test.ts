import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { complete, deploy, fixture, startInstance } from './helpers/flows.js';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;
let serviceCalls = 0;

beforeAll(async () => {
  t = await createTestApp({ STEP_BUDGET: 15 });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  // A service that fails on its first call, as an unreachable external system would.
  t.app.runtime.services.add('flaky', async () => {
    serviceCalls++;
    if (serviceCalls === 1) throw new Error('外部系统暂时不可用');
    return { serviceResult: 'ok' };
  });
  await deploy(t, legal, await fixture('long-chain.bpmn'));
  await deploy(t, legal, await fixture('flaky-service.bpmn'));
});
afterAll(() => t.close());

describe('a run that exceeds the step budget', () => {
  it('is stopped, marked failed with a clear error, and listed as an incident', async () => {
    const s = (await startInstance(t, officer, 'long_chain')).json();
    const res = await complete(t, officer, s.openTasks[0].id);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'PROCESS_FAILED', details: { code: 'STEP_BUDGET_EXCEEDED' } });

    const incidents = (await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as(legal) })).json();
    const incident = incidents.items.find((i: { id: string }) => i.id === s.instanceId);
    expect(incident.error.code).toBe('STEP_BUDGET_EXCEEDED');
    expect(incident.error.message).toContain('15');

    // The state is as before the command; the instance refuses further commands until retried.
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/instances/${s.instanceId}`, headers: t.as(officer) })
    ).json();
    expect(detail.version).toBe(s.version);
    expect(detail.tasks.map((x: { status: string }) => x.status)).toEqual(['open']);
    const again = await complete(t, officer, s.openTasks[0].id);
    expect(again.json().error.code).toBe('INSTANCE_NOT_RUNNING');
  });

  it('keeps serving other requests', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
  });
});

describe('a failing service call', () => {
  it('fails the start, then succeeds when an admin retries it', async () => {
    const res = await startInstance(t, officer, 'flaky_service');
    expect(res.statusCode).toBe(422);
    const instanceId = res.json().error.details.instanceId;
    const before = (
      await t.app.inject({ method: 'GET', url: `/api/instances/${instanceId}`, headers: t.as(legal) })
    ).json();
    expect(before).toMatchObject({ status: 'failed', error: { code: 'ENGINE_ERROR' } });
    expect(before.error.message).toContain('外部系统暂时不可用');

    const officerRetry = await t.app.inject({
      method: 'POST',
      url: `/api/instances/${instanceId}/retry`,
      headers: t.as(officer),
    });
    expect(officerRetry.statusCode).toBe(403);
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/instances/${instanceId}/retry`,
      headers: t.as(legal),
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ status: 'running', openTasks: [{ elementId: 'Task_ok' }] });
    const after = (
      await t.app.inject({ method: 'GET', url: `/api/instances/${instanceId}`, headers: t.as(legal) })
    ).json();
    expect(after.variables.serviceResult).toBe('ok');
    expect(after.history.map((h: { type: string }) => h.type)).toContain('instance.failed');
  });

  it('refuses to retry an instance that has not failed', async () => {
    const s = await startInstance(t, officer, 'flaky_service');
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/instances/${s.json().instanceId}/retry`,
      headers: t.as(legal),
    });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.code).toBe('INSTANCE_NOT_FAILED');
  });
});
