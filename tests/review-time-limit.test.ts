import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, FACTS, openTask, packet } from './helpers/review.js';

// 审核时限: a case under a catalogue item is reviewed within the item's limit; a case under none (review asked for
// though not required) within the limit the department set on its review step. Before, the latter got 5 working
// days whatever the step said, so a department that set 8 saw its own limit ignored.
const clock = manualClock('2026-12-02T10:00:00+08:00'); // a Wednesday in Beijing
let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  // The shipped process, with 8 working days on its review step instead of 5; its catalogue items keep 5.
  const xml = (await workflowFile('legal-review.bpmn')).replace(
    /(<bpmn:userTask id="Task_review"[^>]*?) fashen:deadlineWorkingDays="5"/,
    '$1 fashen:deadlineWorkingDays="8"',
  );
  expect(xml).toContain('fashen:deadlineWorkingDays="8"');
  await deploy(t, legal, xml);
});
afterAll(() => t.close());

async function reviewDue(facts: Record<string, unknown>, requestReview: boolean) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet({ proposedDecision: `并处罚款${facts.amount}元。` }), facts, requestReview },
  });
  expect(res.statusCode, res.body).toBe(201);
  const caseId = res.json().caseId as string;
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  const c = await caseOf(t, officer, caseId);
  return { item: c.catalogueItem?.code ?? null, dueAt: (await openTask(t, legal, caseId, 'Task_review')).dueAt };
}

describe('the review time limit', () => {
  it('is the catalogue item’s for a case under one, and the review step’s own for a case under none', async () => {
    // Accepted on Wednesday 12/2: 5 working days end on Wednesday 12/9, 8 on Monday 12/14.
    expect(await reviewDue(FACTS, false)).toEqual({
      item: 'C-01',
      dueAt: new Date('2026-12-09T23:59:59+08:00').toISOString(),
    });
    expect(await reviewDue({ ...FACTS, amount: 3000 }, true)).toEqual({
      item: null,
      dueAt: new Date('2026-12-14T23:59:59+08:00').toISOString(),
    });
  });
});
