import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { launchBrowser, listen, loggedIn, SCREENSHOTS, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';

const BYPASS = fileURLToPath(new URL('../fixtures/lint/decision-gate/invalid-bypass.bpmn', import.meta.url));

let t: TestApp;
let base: string;
let browser: Browser;
let legalA: TestUser;
let legalB: TestUser;
let supervisor: TestUser;

async function shot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, SCREENSHOTS)), fullPage: true });
}

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment({ name: '市市场监督管理局' });
  const bureau = await t.newDepartment({ name: '市司法局' });
  legalA = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  legalB = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await deploy(t, legalA, await workflowFile('legal-review.bpmn'));
  base = await listen(t);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('flow and catalogue changes are governed', () => {
  it('refuses the gate-bypassing flow, naming the gate', async () => {
    const { page, context } = await loggedIn(browser, base, legalA, { width: 1600, height: 1000 });
    await page.goto(`${base}/modeler`);
    await page.waitForSelector('body[data-ready="true"]');
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#fm-import').click();
    await (await chooser).setFiles(BYPASS);
    await page.locator('#fm-deploy').click();
    await sees(page.locator('#fm-panel'), '法制审核闸门');
    await shot(page, 'governance-gate-refused');
    await context.close();
  }, 60_000);

  it('a second legal admin approves a catalogue change and the supervisor reads its item-level diff', async () => {
    const xml = (await workflowFile('legal-review.bpmn')).replace('amount &#62;= 50000', 'amount &#62;= 100000');
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/api/deployment-requests',
      headers: t.as(legalA),
      payload: { xml, note: '提高对法人罚款的数额标准' },
    });
    expect(proposed.statusCode).toBe(201);
    const id = proposed.json().id as string;

    const b = await loggedIn(browser, base, legalB);
    await b.page.goto(`${base}/changes/${id}`);
    await b.page.locator('#approve').click();
    await sees(b.page.locator('.notice'), '已批准');
    await b.context.close();

    const s = await loggedIn(browser, base, supervisor);
    await s.page.goto(`${base}/changes`);
    await s.page.getByRole('link', { name: '重大执法决定法制审核' }).first().click();
    await sees(s.page.locator('#catalogue-diff'), '≥ 100,000 元');
    await sees(s.page.locator('#catalogue-diff'), '金额门槛');
    await shot(s.page, 'governance-supervisor-diff');
    await s.context.close();
  }, 60_000);
});
