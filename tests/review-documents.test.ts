import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, documentText, FACTS, packet, reviewForm } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let reviewers: TestUser[];
let chief: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewers = [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })];
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(overrides), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

describe('rounds counted as a practitioner counts them', () => {
  it('completing the packet at acceptance is no review: the first substantive review prints 第一次审核', async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: false, missing: '抽样检验报告原件' });
    expect(await documentText(t, officer, caseId, 'correction_notice')).toContain('你单位第一次报送审核的');
    await completeStep(t, officer, caseId, 'Task_complete_packet', { correctionNote: '已补充抽样检验报告原件' });
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const reviewer = reviewers[0];
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '证据不足。'),
      finding_evidence: '不符合',
      note_evidence: '缺少检验机构资质证明',
    });
    const first = await documentText(t, officer, caseId, 'review_opinion', 0);
    expect(first).toContain('你单位第一次报送审核的');
    expect(first).toContain('第一次审核');
    expect(first).not.toContain('第二次');
    await completeStep(t, officer, caseId, 'Task_correct', { correctionNote: '已补充检验机构资质证明' });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    const second = await documentText(t, officer, caseId, 'review_opinion', 1);
    expect(second).toContain('你单位第二次报送审核的');
    expect(second).toContain('第二次审核');
    expect((await caseOf(t, officer, caseId)).currentRound).toBe(3);
    void chief;
  });
});
