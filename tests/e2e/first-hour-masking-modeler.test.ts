// Issue 19, continued: the masking page's editable column and the modeler's first view, asserted in the browser.
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { completeStep, FACTS, packet, reviewForm, today } from '../helpers/review.js';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';
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
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function screenshots(page: Page, name: string, fullPage = true) {
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.skipIf(!hasChromium)('the masking page and the modeler', () => {
  it('the masking page gives the editable 拟公开文本 column at least half the table, at 1280 and 768 px', async () => {
    const submitted = packet({ title: '赵志刚违法排放污水案', proposedDecision: '责令改正，并处罚款三万元。' });
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
    const o = await loggedIn(browser, base, officer);
    await o.page.goto(`${base}/tasks`);
    const row = o.page.locator('tbody tr', { hasText: submitted.caseNumber }).filter({ hasText: '记录执法决定' });
    await row.getByRole('link', { name: '办理' }).click();
    await o.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await o.page.getByLabel('决定书文号').fill('盐环罚〔2026〕78号');
    await o.page.getByLabel('决定日期').fill(today());
    await o.page.getByLabel('决定内容').fill('责令改正，并处罚款三万元。');
    await Promise.all([
      o.page.waitForNavigation(),
      o.page.getByRole('button', { name: '记录决定', exact: true }).click(),
    ]);

    const { page } = await loggedIn(browser, base, legal);
    await page.goto(`${base}/publicity`);
    await page.getByRole('link', { name: '盐环罚〔2026〕78号' }).click();
    await sees(page.getByRole('heading', { level: 1 }), '公示审核', 'innerText');
    for (const width of [1280, 768]) {
      await page.setViewportSize({ width, height: 900 });
      const table = await page.locator('table.side-by-side').boundingBox();
      const editable = await page.getByLabel('拟公开：主要事实').boundingBox();
      expect(editable!.width).toBeGreaterThanOrEqual(table!.width * 0.45);
    }
    await screenshots(page, 'masking');
  });

  it('the modeler opens on the whole diagram at a readable scale, the palette clear of the start event', async () => {
    const { page } = await loggedIn(browser, base, legal, { width: 1280, height: 900 });
    await page.goto(`${base}/modeler`);
    await page.waitForSelector('body[data-ready="true"]');
    const start = await page.locator('.djs-element[data-element-id="Start_submitted"]').first().boundingBox();
    const palette = await page.locator('.djs-palette').boundingBox();
    expect(start!.x).toBeGreaterThan(palette!.x + palette!.width);
    // Nor does the simulation toggle above the palette cover it.
    const toggle = await page.locator('.bts-toggle-mode').boundingBox();
    if (toggle) expect(start!.y).toBeGreaterThan(toggle.y + toggle.height);
    // bpmn-js draws a task 100 units wide; below 60 px its label is unreadable.
    const task = await page.locator('.djs-element[data-element-id="Task_accept"] .djs-hit').first().boundingBox();
    expect(task!.width).toBeGreaterThanOrEqual(60);
    await screenshots(page, 'modeler', false);
  });

  it('the modeler leaves the diagram at least 60 % of a 768 px screen', async () => {
    const { page } = await loggedIn(browser, base, legal, { width: 768, height: 900 });
    await page.goto(`${base}/modeler`);
    await page.waitForSelector('body[data-ready="true"]');
    const canvas = await page.locator('.fm-canvas').boundingBox();
    const side = await page.locator('.fm-side').boundingBox();
    expect(canvas!.width / 768).toBeGreaterThanOrEqual(0.6);
    expect(side!.width).toBeGreaterThanOrEqual(240); // the properties stay usable
  });
});
