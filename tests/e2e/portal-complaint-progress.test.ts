import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, SCREENSHOTS, sees } from '../helpers/browser.js';
import { agencyWithCase } from '../helpers/review.js';

// The public's two doors on the portal: a complaint answered by the agency, and the party's progress query
// with its satisfaction survey — typed into the pages as a visitor would, in Debian's Chromium.
let t: TestApp;
let base: string;
let browser: Browser;
let legal: TestUser;
let caseNumber: string;
const CODE = '91320900MA1XXXXX0X';

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  ({ legal, caseNumber } = await agencyWithCase(t, '盐城市城市管理局'));
  base = await listen(t);
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.skipIf(!hasChromium)('the portal’s complaint form and progress query in the browser', () => {
  it('a visitor complains, the agency answers, and the visitor reads the answer by number and code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/public`);
    await page.getByRole('link', { name: '投诉举报' }).click();
    await page.getByLabel('被投诉的执法机关').selectOption({ label: '盐城市城市管理局' });
    await page.getByLabel('执法人员', { exact: true }).check();
    await page.getByLabel('执法人员姓名（可不填）').fill('张三');
    await page.getByLabel('事实和请求').fill('2026年12月1日执法人员张三在解放路检查时态度粗暴，未出示执法证件。');
    await page.getByLabel('姓名（不公开）').fill('刘一');
    await page.getByLabel('联系电话（不公开）').fill('13912345678');
    await page.screenshot({ path: new URL('portal-complaint-form.png', SCREENSHOTS).pathname, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交投诉举报' }).click()]);
    await sees(page.getByRole('heading', { level: 1 }), '投诉举报已收到');
    const number = (await page.locator('.number').textContent()) ?? '';
    const code = (await page.locator('.code').textContent()) ?? '';
    expect(number).toMatch(/^TS\d{8}-/);

    const staff = await loggedIn(browser, base, legal);
    await staff.page.goto(`${base}/complaints`);
    await staff.page.getByRole('link', { name: number }).click();
    await sees(staff.page.locator('dl.facts'), '13912345678');
    await staff.page
      .getByLabel('答复内容（投诉人凭受理编号和查询码可见）')
      .fill('经调查核实，已对张三批评教育，并向您致歉。');
    await Promise.all([staff.page.waitForNavigation(), staff.page.getByRole('button', { name: '答复' }).click()]);
    await sees(staff.page.getByRole('status'), '已答复');

    await page.goto(`${base}/public/complaints`);
    await page.getByLabel('受理编号').fill(number);
    await page.getByLabel('查询码或提交时的联系电话').fill(code);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查询' }).click()]);
    await sees(page.locator('.status'), '已答复');
    await sees(page.locator('.answer'), '已对张三批评教育，并向您致歉。');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a party reads its case’s stages and answers the satisfaction question', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/public`);
    await page.getByRole('link', { name: '办理进度查询' }).click();
    await page.getByLabel('案件编号').fill(caseNumber);
    await page.getByLabel('身份证号码或统一社会信用代码').fill('91320900MA1YYYYY0Y');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查询' }).click()]);
    await sees(page.getByRole('alert'), '不匹配');
    await page.getByLabel('身份证号码或统一社会信用代码').fill(CODE);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查询' }).click()]);
    await sees(page.locator('article.case h2'), caseNumber);
    await sees(page.locator('table.stages'), '受理审查（材料是否齐全）');
    await page.getByLabel('基本满意').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交评价' }).click()]);
    await sees(page.getByRole('status'), '感谢您的评价（基本满意）');
    await page.screenshot({ path: new URL('portal-progress.png', SCREENSHOTS).pathname, fullPage: true });
    const saved = await t.db.selectFrom('satisfaction_responses').select('rating').executeTakeFirstOrThrow();
    expect(saved.rating).toBe('basically_satisfied');
    await context.close();
  });
});
