import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { type CommandResult, complete, deploy, startInstance, workflowFile } from './helpers/flows.js';

let t: TestApp;
let officer: TestUser;
let otherOfficer: TestUser;
let reviewer: TestUser;
let reviewer2: TestUser;
let chief: TestUser;
let foreignReviewer: TestUser;
let foreignOfficer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.newDepartment();
  const b = await t.newDepartment();
  officer = await t.newUser({ departmentId: a.id, roles: ['officer'] });
  otherOfficer = await t.newUser({ departmentId: a.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: a.id, roles: ['reviewer'] });
  reviewer2 = await t.newUser({ departmentId: a.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: a.id, roles: ['chief'] });
  const legal = await t.newUser({ departmentId: a.id, roles: ['legal_admin'] });
  foreignReviewer = await t.newUser({ departmentId: b.id, roles: ['reviewer'] });
  foreignOfficer = await t.newUser({ departmentId: b.id, roles: ['officer'] });
  await deploy(t, legal, await workflowFile('demo-review.bpmn'));
});
afterAll(() => t.close());

async function started(): Promise<CommandResult> {
  const res = await startInstance(t, officer, 'demo_review', { caseNumber: 'SC-2026-001' });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('starting an instance', () => {
  it('materializes the first user task with its role, department and form', async () => {
    const s = await started();
    expect(s.status).toBe('running');
    expect(s.openTasks.map((x) => x.elementId)).toEqual(['Task_review']);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/tasks?instanceId=${s.instanceId}`,
      headers: t.as(reviewer),
    });
    const [task] = list.json().items;
    expect(task).toMatchObject({ elementId: 'Task_review', name: '法制审核', role: 'reviewer', status: 'open' });
    expect(task.form.map((f: { name: string }) => f.name)).toEqual(['approved', 'opinion']);
    expect(new Date(task.dueAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });

  it('shows the task to reviewers of the department only', async () => {
    const s = await started();
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/tasks?instanceId=${s.instanceId}`,
      headers: t.as(reviewer),
    });
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/tasks?instanceId=${s.instanceId}`,
      headers: t.as(foreignReviewer),
    });
    const officerView = await t.app.inject({
      method: 'GET',
      url: `/api/tasks?instanceId=${s.instanceId}`,
      headers: t.as(officer),
    });
    expect(mine.json().items).toHaveLength(1);
    expect(foreign.json().items).toHaveLength(0);
    expect(officerView.json().items).toHaveLength(0);
  });

  it('refuses an unknown process key with 404', async () => {
    const res = await startInstance(t, officer, 'no_such_process');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('DEFINITION_NOT_FOUND');
  });

  it('keeps other departments out of the instance', async () => {
    const s = await started();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/instances/${s.instanceId}`,
      headers: t.as(foreignOfficer),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('completing tasks', () => {
  it('rejects a payload that does not match the form and changes nothing', async () => {
    const s = await started();
    const res = await complete(t, reviewer, s.openTasks[0].id, { approved: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('FORM_INVALID');
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/instances/${s.instanceId}`,
      headers: t.as(reviewer),
    });
    expect(detail.json().version).toBe(s.version);
  });

  it('runs the approving path to the chief and ends the instance', async () => {
    const s = await started();
    const r1 = await complete(t, reviewer, s.openTasks[0].id, { approved: true, opinion: '事实清楚，证据充分' });
    expect(r1.statusCode).toBe(200);
    const afterReview: CommandResult = r1.json();
    expect(afterReview.version).toBe(s.version + 1);
    expect(afterReview.openTasks.map((x) => x.elementId)).toEqual(['Task_chief_decision']);
    const r2 = await complete(t, chief, afterReview.openTasks[0].id, { decision: '同意作出决定' });
    expect(r2.json()).toMatchObject({ status: 'completed', openTasks: [] });

    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/instances/${s.instanceId}`, headers: t.as(officer) })
    ).json();
    expect(detail.status).toBe('completed');
    expect(detail.variables).toMatchObject({ caseNumber: 'SC-2026-001', approved: true, decision: '同意作出决定' });
    const types = detail.history.map((h: { type: string }) => h.type);
    expect(types[0]).toBe('instance.started');
    expect(types.filter((x: string) => x === 'task.completed')).toHaveLength(2);
    expect(types.at(-1)).toBe('instance.completed');
    // each step's timers were cancelled when it was done: the review's deadline, and the chief's default
    // deadline and reminder (every review step has a time limit)
    expect(detail.timers.map((x: { status: string }) => x.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('returns a rejected packet to the officer who submitted it', async () => {
    const s = await started();
    const r = (await complete(t, reviewer, s.openTasks[0].id, { approved: false, opinion: '证据不足' })).json();
    expect(r.openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Task_correct']);
    const byOther = await complete(t, otherOfficer, r.openTasks[0].id, { correction: '补充证据' });
    expect(byOther.statusCode).toBe(409);
    expect(byOther.json().error.code).toBe('TASK_ASSIGNED_TO_OTHER');
    const bySubmitter = await complete(t, officer, r.openTasks[0].id, { correction: '补充证据' });
    expect(bySubmitter.json().openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Task_review']);
  });

  it('lets exactly one of two concurrent completions win', async () => {
    const s = await started();
    const id = s.openTasks[0].id;
    const [a, b] = await Promise.all([
      complete(t, reviewer, id, { approved: true, opinion: '同意' }),
      complete(t, reviewer2, id, { approved: false, opinion: '不同意' }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.code).toBe('TASK_ALREADY_COMPLETED');
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/instances/${s.instanceId}`, headers: t.as(officer) })
    ).json();
    expect(detail.version).toBe(s.version + 1);
    expect(detail.history.filter((h: { type: string }) => h.type === 'task.completed')).toHaveLength(1);
  });

  it('blocks others once a reviewer has claimed the task', async () => {
    const s = await started();
    const id = s.openTasks[0].id;
    const claim = await t.app.inject({ method: 'POST', url: `/api/tasks/${id}/claim`, headers: t.as(reviewer) });
    expect(claim.statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: `/api/tasks/${id}/claim`, headers: t.as(reviewer2) });
    expect(again.statusCode).toBe(409);
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/tasks?scope=mine&instanceId=${s.instanceId}`,
      headers: t.as(reviewer),
    });
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    const res = await complete(t, reviewer2, id, { approved: true, opinion: '同意' });
    expect(res.json().error.code).toBe('TASK_ASSIGNED_TO_OTHER');
  });

  it('forbids a reviewer of another department from completing the task', async () => {
    const s = await started();
    const res = await complete(t, foreignReviewer, s.openTasks[0].id, { approved: true, opinion: '同意' });
    expect(res.statusCode).toBe(403);
  });
});
