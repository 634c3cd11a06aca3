import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { caseOf, completeStep, FACTS, packet } from '../helpers/review.js';

// The reviewer sees the case's 争议焦点提示 on the review step, marks one handled, quotes another into its
// point's note, and signs the opinion with it.
let t: TestApp;
let base: string;
let browser: Browser;
let officer: TestUser;
let legal: TestUser;
let reviewer: TestUser;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '争议焦点浏览器测试局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  base = await listen(t);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.skipIf(!hasChromium)('hints on the review step', () => {
  it('are seen, marked handled and quoted into the opinion', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: {
        packet: packet({ factsFound: '经查，根据询问笔录，当事人销售不合格电热水壶共计320台，货值金额六万四千元。' }),
        facts: FACTS,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json().caseId as string;
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const task = (await caseOf(t, reviewer, caseId)).tasks.find(
      (x: { elementId: string; status: string }) => x.elementId === 'Task_review' && x.status === 'open',
    );

    const { page, consoleErrors } = await loggedIn(browser, base, reviewer);
    await page.goto(`${base}/tasks/${task.id}`);
    await sees(page.locator('#h-hints'), '争议焦点提示（2）');
    const evidence = page.locator('tr[data-point="evidence"] .point-hint');
    await sees(evidence, '查明的事实提及“询问笔录”，证据目录中没有');

    // Marked handled with a note, in place.
    await evidence.getByText('处理说明', { exact: true }).click();
    await evidence.getByLabel(/^处理说明：/).fill('已要求补充询问笔录');
    await evidence.getByRole('button', { name: '标记已处理' }).click();
    await sees(evidence.locator('.hint-status'), '已处理');
    await sees(page.locator('.hint-entry', { hasText: '询问笔录' }).locator('.hint-status'), '已要求补充询问笔录');

    // The procedure hint's detail quoted into that point's note.
    const procedure = page.locator('tr[data-point="procedure"]');
    await procedure.getByRole('button', { name: '引用到说明' }).click();
    await expect.poll(() => procedure.locator('textarea').inputValue()).toContain('第六十三条');

    await page.getByRole('button', { name: '将未选择的事项设为“符合”' }).click();
    await procedure.getByLabel('不符合', { exact: true }).check();
    await page.locator('tr[data-point="crime_transfer"]').getByLabel('否', { exact: true }).check();
    await page.getByLabel('退回补正', { exact: true }).check();
    await page.getByLabel(/^理由\*?$/).fill('未见听证告知材料。');
    await page.getByLabel('修改或补正建议').fill('补充听证告知书及送达回证。');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: '签署并提交审核意见', exact: true }).click(),
    ]);
    await sees(page.locator('.case-head .status'), '退回补正中');

    const hints = (await t.app.inject({ url: `/api/cases/${caseId}/hints`, headers: t.as(officer) })).json().hints;
    expect(hints.find((h: { key: string }) => h.key === 'evidence:询问笔录').mark).toMatchObject({
      status: 'handled',
      note: '已要求补充询问笔录',
    });
    const opinion = (await caseOf(t, officer, caseId)).opinions[0];
    const note = opinion.findings.find((f: { point: string }) => f.point === 'procedure').note;
    expect(note).toContain('《中华人民共和国行政处罚法》第六十三条');
    expect(consoleErrors).toEqual([]);
  });
});
