import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, SCREENSHOTS, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { completeStep, FACTS, packet, reviewForm, today } from '../helpers/review.js';

let t: TestApp;
let base: string;
let browser: Browser;
let officer: TestUser;
let legal: TestUser;
let reviewer: TestUser;
let chief: TestUser;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '盐城市生态环境局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  base = await listen(t);
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A penalty on a natural person reviewed and decided by the chief; the officer still has to record it. */
async function decidedByChief() {
  const submitted = packet({
    title: '赵志刚违法排放污水案',
    party: { type: 'person', name: '赵志刚', idCode: '320902198805061234', address: '盐城市亭湖区解放路8号' },
    factsFound: '经查，当事人赵志刚（手机13770001234）在盐城市亭湖区解放路8号经营洗车点，将洗车污水直接排入雨水管网。',
    proposedDecision: '责令改正，并处罚款三万元。',
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: submitted, facts: FACTS },
  });
  const { caseId } = res.json();
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  return { caseId, caseNumber: submitted.caseNumber };
}

/** The officer records the decision in the workbench, through the step's form. */
async function recordInWorkbench(caseNumber: string, number: string) {
  const { page } = await loggedIn(browser, base, officer);
  await page.goto(`${base}/tasks`);
  const row = page.locator('tbody tr', { hasText: caseNumber }).filter({ hasText: '记录执法决定' });
  await row.getByRole('link', { name: '办理' }).click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  await page.getByLabel('决定书文号').fill(number);
  await page.getByLabel('决定日期').fill(today());
  await page.getByLabel('决定内容').fill('责令改正，并处罚款三万元。');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '记录决定', exact: true }).click()]);
  await sees(page.locator('.case-head .status'), '已作出决定');
  return page;
}

describe.skipIf(!hasChromium)('enforcement publicity in the browser', () => {
  it('a recorded decision appears on the portal after redaction approval, is found, and is withdrawn with its reason', async () => {
    const { caseId, caseNumber } = await decidedByChief();
    const officerPage = await recordInWorkbench(caseNumber, '盐环罚〔2026〕77号');
    const { page } = await loggedIn(browser, base, legal);
    // Errors from here on count against the test (the login flow is another capability's).
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    // The legal unit sees the pending disclosure and reviews the redaction side by side.
    await page.goto(`${base}/publicity`);
    await page.getByRole('link', { name: '盐环罚〔2026〕77号' }).click();
    await sees(page.getByRole('heading', { level: 1 }), '公示审核', 'innerText');
    const facts = page.getByLabel('拟公开：主要事实');
    await expect.poll(() => facts.inputValue()).toContain('赵某某');
    expect(await facts.inputValue()).not.toContain('13770001234');
    expect(await page.getByLabel('拟公开：当事人').inputValue()).toBe('赵某某');
    await page.screenshot({ path: fileURLToPath(new URL('publicity-review.png', SCREENSHOTS)), fullPage: true });
    await page.getByRole('button', { name: '审核通过并公开' }).click();
    await sees(page.getByRole('status'), '已审核公开', 'innerText');

    // Anyone finds it on the portal, without logging in.
    const visitor = await browser.newContext({ locale: 'zh-CN' });
    const portal = await visitor.newPage();
    await portal.goto(`${base}/public/decisions`);
    await portal.getByLabel('关键词').fill('洗车污水');
    await portal.getByRole('button', { name: '检索' }).click();
    const results = portal.getByRole('region', { name: '检索结果' });
    await sees(results, '盐环罚〔2026〕77号', 'innerText');
    await sees(results, '赵某某', 'innerText');
    await portal.getByRole('link', { name: '盐环罚〔2026〕77号' }).click();
    await sees(portal.locator('article'), '责令改正，并处罚款三万元。', 'innerText');
    expect(await portal.content()).not.toContain('赵志刚');
    await portal.screenshot({ path: fileURLToPath(new URL('publicity-portal.png', SCREENSHOTS)), fullPage: true });

    // The decision is revoked: the legal unit takes it down with the reason.
    await page.goto(`${base}/publicity?state=published`);
    await page.getByRole('link', { name: '盐环罚〔2026〕77号' }).click();
    await page.getByLabel('撤下事由').selectOption('revoked');
    await page.getByRole('textbox', { name: /^说明/ }).fill('经行政复议决定撤销');
    await page.getByRole('button', { name: '撤下' }).click();
    await sees(page.getByRole('status'), '撤下原因：决定被撤销：经行政复议决定撤销', 'innerText');
    await page.goto(`${base}/publicity?state=withdrawn`);
    await sees(page.locator('tbody'), '经行政复议决定撤销', 'innerText');

    // Gone from the portal (the search page is not cached by the browser across a fresh context).
    const later = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await later.goto(`${base}/public/decisions?q=${encodeURIComponent('洗车污水')}`);
    await sees(later.getByRole('region', { name: '检索结果' }), '没有符合条件的决定', 'innerText');

    // The handling officer's case page shows the take-down and its reason in the case's record.
    await officerPage.goto(`${base}/cases/${caseId}`);
    await sees(officerPage.locator('.timeline'), '撤下已公开的决定信息');
    await sees(officerPage.locator('.timeline'), '经行政复议决定撤销');
    expect(consoleErrors).toEqual([]);
  });
});
