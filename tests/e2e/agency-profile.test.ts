import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, SCREENSHOTS, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';

let t: TestApp;
let base: string;
let browser: Browser;
let legal: TestUser;
let departmentId: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '盐城市市场监督管理局' });
  departmentId = d.id;
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await t.newUser({ departmentId: d.id, roles: ['officer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  base = await listen(t);
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const shot = (name: string) => fileURLToPath(new URL(name, SCREENSHOTS));

describe.skipIf(!hasChromium)('the agency’s before-disclosures in the browser', () => {
  it('a legal admin adds a power and a random-inspection item, and the public agency page shows them', async () => {
    const { page } = await loggedIn(browser, base, legal);
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    // From the publicity page to the powers list, through the navigation.
    await page.goto(`${base}/publicity`);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '事前公开' }).click();
    await sees(page.getByRole('heading', { level: 1 }), '事前公开', 'innerText');
    await page.getByRole('navigation', { name: '事前公开' }).getByRole('link', { name: '职权事项清单' }).click();
    await page.getByRole('link', { name: '新增职权事项' }).click();

    await page.getByLabel('编码', { exact: true }).fill('CF-001');
    await page.getByLabel('事项名称', { exact: true }).fill('对未取得食品经营许可从事食品经营活动的处罚');
    await page.getByLabel('类别', { exact: true }).selectOption({ label: '行政处罚' });
    await page.getByLabel('设定依据', { exact: true }).fill('《中华人民共和国食品安全法》第一百二十二条');
    await page.getByRole('button', { name: '保存' }).click();
    await sees(page.getByRole('status'), '已新增职权事项。', 'innerText');
    await sees(page.locator('table'), '对未取得食品经营许可从事食品经营活动的处罚', 'innerText');
    await page.screenshot({ path: shot('agency-profile-powers.png'), fullPage: true });

    await page.getByRole('navigation', { name: '事前公开' }).getByRole('link', { name: '随机抽查事项清单' }).click();
    await page.getByRole('link', { name: '新增抽查事项' }).click();
    // Leaving a required field empty brings the form back with the message beside the field.
    await page.getByLabel('抽查事项', { exact: true }).fill('食品经营者落实食品安全主体责任情况检查');
    await page.getByRole('button', { name: '保存' }).click();
    await sees(page.locator('main form'), '请填写检查对象', 'innerText');
    await page.screenshot({ path: shot('agency-profile-form-errors.png'), fullPage: true });
    await page.getByLabel('检查对象', { exact: true }).fill('辖区内持证食品经营者');
    await page.getByLabel('检查方式', { exact: true }).fill('现场检查');
    await page.getByLabel('检查依据', { exact: true }).fill('《中华人民共和国食品安全法》第一百一十条');
    await page.getByLabel('抽查比例和频次', { exact: true }).fill('每年抽查比例不低于5%');
    await page.getByRole('button', { name: '保存' }).click();
    await sees(page.getByRole('status'), '已新增抽查事项。', 'innerText');

    // Anyone reads them on the portal, without logging in.
    const visitor = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    ).newPage();
    await visitor.goto(`${base}/public/agencies/${departmentId}`);
    const powers = visitor.locator('#powers');
    await sees(powers, '对未取得食品经营许可从事食品经营活动的处罚', 'innerText');
    await sees(powers, '《中华人民共和国食品安全法》第一百二十二条', 'innerText');
    await sees(visitor.locator('#inspections'), '每年抽查比例不低于5%', 'innerText');
    await sees(visitor.locator('#remedies'), '六十日内', 'innerText');
    // The flowchart is drawn by the server with Chromium and the built modeler (`npm test` builds it first).
    const chart = visitor.getByRole('img', { name: /流程图/ });
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete), { timeout: 30_000 }).toBe(true);
    const src = (await chart.getAttribute('src')) ?? '';
    expect(src).toBe(`/api/departments/${departmentId}/flowchart.svg?processKey=legal_review&version=1`);
    const svg = await visitor.request.get(`${base}${src}`);
    expect(svg.status(), 'the flowchart needs the built modeler: node modeler/build.mjs').toBe(200);
    expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).toBe(true);
    await visitor.screenshot({ path: shot('agency-profile-portal.png'), fullPage: true });
    // The refused form is answered 400 on purpose (the form comes back with its errors); Chromium logs that.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});
