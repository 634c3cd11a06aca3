import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, FACTS, openTask, packet, reviewForm } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let ownReviewer: TestUser;
let borrowed: TestUser;
let legal: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const small = await t.newDepartment({ name: '市小型执法局' });
  const city = await t.newDepartment({ name: '县小型执法局' });
  // The pool lends within one enforcement system (本系统内) unless the justice bureau opens it city-wide.
  await t.db
    .updateTable('departments')
    .set({ enforcement_system: '小型执法系统' })
    .where('id', 'in', [small.id, city.id])
    .execute();
  officer = await t.newUser({ departmentId: small.id, roles: ['officer'] });
  ownReviewer = await t.newUser({ departmentId: small.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: small.id, roles: ['legal_admin'] });
  borrowed = await t.newUser({ departmentId: city.id, roles: ['reviewer'] });
  admin = await t.newUser({ departmentId: city.id, roles: ['admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/reviewer-pool/${borrowed.id}`,
    headers: t.as(admin),
    payload: { note: '公职律师，可跨机关审核' },
  });
  expect(put.statusCode).toBe(204);
});
afterAll(() => t.close());

describe('the shared reviewer pool (人才库)', () => {
  it('lends a reviewer from another department when the own one must step aside (回避)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet(), facts: FACTS },
    });
    const { caseId } = res.json();
    const conflict = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/conflicts`,
      headers: t.as(legal),
      payload: { userId: ownReviewer.id, reason: '曾参与本案调查' },
    });
    expect(conflict.statusCode).toBe(201);
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    expect((await caseOf(t, legal, caseId)).reviewerId).toBe(borrowed.id);

    // The borrowed reviewer sees the task and the case although they belong to another department.
    const tasks = (await t.app.inject({ url: '/api/tasks', headers: t.as(borrowed) })).json();
    expect(tasks.items.map((x: { elementId: string }) => x.elementId)).toContain('Task_review');
    const review = await openTask(t, borrowed, caseId, 'Task_review');
    expect(review.assigneeId).toBe(borrowed.id);
    await completeStep(t, borrowed, caseId, 'Task_review', reviewForm('同意'));
    const c = await caseOf(t, officer, caseId);
    expect(c.opinions[0]).toMatchObject({ reviewerId: borrowed.id, conclusion: 'approve' });
    // The own reviewer, conflicted, never saw the task.
    const own = (
      await t.app.inject({ url: `/api/tasks?instanceId=${c.instanceId}`, headers: t.as(ownReviewer) })
    ).json();
    expect(own.items).toEqual([]);
  });

  it('lists the pool for everyone signed in', async () => {
    const res = await t.app.inject({ url: '/api/reviewer-pool', headers: t.as(officer) });
    expect(res.json().items.map((m: { userId: string }) => m.userId)).toEqual([borrowed.id]);
  });

  it('takes only active reviewers, through the API as on the admin page', async () => {
    const put = (userId: string) =>
      t.app.inject({ method: 'PUT', url: `/api/reviewer-pool/${userId}`, headers: t.as(admin), payload: {} });
    const notReviewer = await put(officer.id);
    expect(notReviewer.statusCode).toBe(404);
    expect(notReviewer.json().error.code).toBe('NOT_FOUND');
    const leaving = await t.newUser({ departmentId: ownReviewer.departmentId, roles: ['reviewer'] });
    await t.db.updateTable('users').set({ active: false }).where('id', '=', leaving.id).execute();
    expect((await put(leaving.id)).statusCode).toBe(404);
    const pool = (await t.app.inject({ url: '/api/reviewer-pool', headers: t.as(officer) })).json();
    expect(pool.items.map((m: { userId: string }) => m.userId)).toEqual([borrowed.id]);
  });
});
