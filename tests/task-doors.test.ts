import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import { completeStep, FACTS, openTask, packet } from './helpers/review.js';

// Claiming a task and asking for more time go through the tasks service from both doors: the workbench page
// refuses what POST /api/tasks/:id/claim and /extensions refuse, with the same code, and changes nothing.
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let legal: TestUser;
let legal2: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  legal2 = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function newCase() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet({ officerIds: [officer.id] }), facts: FACTS },
  });
  return res.json().caseId as string;
}

const taskRow = (id: string) =>
  t.db.selectFrom('tasks').select(['assignee_id', 'status']).where('id', '=', id).executeTakeFirstOrThrow();

const claimByApi = (user: TestUser, taskId: string) =>
  t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/claim`, headers: t.as(user) });

async function claimByPage(user: TestUser, taskId: string) {
  const session = await pageSession(t, user);
  await session.get('/tasks');
  return session.post(`/tasks/${taskId}/claim`, {});
}

describe('claiming a task', () => {
  it('is refused at both doors once the task is completed, and leaves it unassigned', async () => {
    const caseId = await newCase();
    const accept = await openTask(t, officer, caseId, 'Task_accept');
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });

    const api = await claimByApi(legal2, accept.id);
    const page = await claimByPage(legal2, accept.id);

    expect(api.statusCode).toBe(409);
    expect(api.json().error.code).toBe('TASK_ALREADY_COMPLETED');
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('data-error-code="TASK_ALREADY_COMPLETED"');
    expect(await taskRow(accept.id)).toEqual({ assignee_id: null, status: 'completed' });
  });

  it('is refused at both doors when someone else has claimed the task', async () => {
    const caseId = await newCase();
    const accept = await openTask(t, officer, caseId, 'Task_accept');
    expect((await claimByApi(legal, accept.id)).statusCode).toBe(200);

    const api = await claimByApi(legal2, accept.id);
    const page = await claimByPage(legal2, accept.id);

    expect(api.json().error.code).toBe('TASK_ASSIGNED_TO_OTHER');
    expect(page.statusCode).toBe(api.statusCode);
    expect(page.body).toContain('data-error-code="TASK_ASSIGNED_TO_OTHER"');
    expect((await taskRow(accept.id)).assignee_id).toBe(legal.id);
  });

  it('is refused at both doors for a task of another role', async () => {
    const caseId = await newCase();
    const accept = await openTask(t, officer, caseId, 'Task_accept');

    const api = await claimByApi(officer, accept.id);
    const page = await claimByPage(officer, accept.id);

    expect(api.statusCode).toBe(403);
    expect(api.json().error.code).toBe('FORBIDDEN');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('data-error-code="FORBIDDEN"');
    expect((await taskRow(accept.id)).assignee_id).toBeNull();
  });

  it('from the page gives an open task to the claimer', async () => {
    const caseId = await newCase();
    const accept = await openTask(t, officer, caseId, 'Task_accept');

    const page = await claimByPage(legal, accept.id);

    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/tasks?claimed=1');
    expect((await taskRow(accept.id)).assignee_id).toBe(legal.id);
  });
});

/** A case at its review step, whose task has a deadline and is the reviewer's. */
async function reviewTask() {
  const caseId = await newCase();
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  return openTask(t, reviewer, caseId, 'Task_review');
}

const pendingExtensions = (taskId: string) =>
  t.db.selectFrom('deadline_extensions').select('reason').where('task_id', '=', taskId).execute();

const EXTENSION_REFUSALS = [
  { name: 'no working days', input: { workingDays: 0, reason: '需补充调取证据' }, field: 'workingDays' },
  { name: 'more than 60 working days', input: { workingDays: 61, reason: '需补充调取证据' }, field: 'workingDays' },
  { name: 'a reason of blanks only', input: { workingDays: 3, reason: '   ' }, field: 'reason' },
];

describe('asking for more time', () => {
  it.each(EXTENSION_REFUSALS)('with $name is refused alike by the page and the API', async ({ input, field }) => {
    const task = await reviewTask();
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/extensions`,
      headers: t.as(reviewer),
      payload: input,
    });
    const session = await pageSession(t, reviewer);
    await session.get(`/tasks/${task.id}`);
    const page = await session.post(`/tasks/${task.id}/extension`, {
      workingDays: String(input.workingDays),
      reason: input.reason,
    });

    expect(api.statusCode).toBe(400);
    expect(api.json().error.code).toBe('VALIDATION_FAILED');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('data-error-code="VALIDATION_FAILED"');
    expect(new RegExp(`id="err-${field}">([^<]+)<`).exec(page.body)?.[1]).toBeTruthy();
    expect(await pendingExtensions(task.id)).toEqual([]);
  });

  it('is refused alike by the page and the API while an earlier request is pending', async () => {
    const task = await reviewTask();
    const ask = { workingDays: 3, reason: '需补充调取证据' };
    const url = `/api/tasks/${task.id}/extensions`;
    expect((await t.app.inject({ method: 'POST', url, headers: t.as(reviewer), payload: ask })).statusCode).toBe(201);

    const api = await t.app.inject({ method: 'POST', url, headers: t.as(reviewer), payload: ask });
    const session = await pageSession(t, reviewer);
    await session.get(`/tasks/${task.id}`);
    const page = await session.post(`/tasks/${task.id}/extension`, { workingDays: '3', reason: ask.reason });

    expect(api.statusCode).toBe(409);
    expect(api.json().error.code).toBe('CONFLICT');
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('data-error-code="CONFLICT"');
    expect(await pendingExtensions(task.id)).toHaveLength(1);
  });

  it('is accepted alike by the page and the API, with the reason as written', async () => {
    const [byPage, byApi] = [await reviewTask(), await reviewTask()];
    const session = await pageSession(t, reviewer);
    await session.get(`/tasks/${byPage.id}`);
    const page = await session.post(`/tasks/${byPage.id}/extension`, { workingDays: '3', reason: ' 需补充调取证据 ' });
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${byApi.id}/extensions`,
      headers: t.as(reviewer),
      payload: { workingDays: 3, reason: ' 需补充调取证据 ' },
    });

    expect(page.statusCode).toBe(303);
    expect(api.statusCode).toBe(201);
    expect(await pendingExtensions(byPage.id)).toEqual([{ reason: '需补充调取证据' }]);
    expect(await pendingExtensions(byApi.id)).toEqual([{ reason: '需补充调取证据' }]);
  });
});
