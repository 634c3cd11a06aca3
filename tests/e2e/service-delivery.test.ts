import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { directDecision, today } from '../helpers/review.js';

// 送达 in the browser: the handling officer records how and when the decision was served, with the signed 送达回证
// scan as proof, through the stage panel's form (no script needed); a 留置送达 without a witness or a photo/video
// is refused under the field it concerns (民事诉讼法第八十九条, applied by 行政处罚法第六十一条).

let t: TestApp;
let base: string;
let browser: Browser;
let officer: TestUser;
let consoleErrors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '盐城市市场监督管理局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  base = await listen(t);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function submit(page: Page) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '记录送达' }).click()]);
}

describe.skipIf(!hasChromium)('送达 in the browser', () => {
  it('the officer records 直接送达 with the signed 送达回证 scan; 留置送达 without a witness is refused', async () => {
    const day = today();
    const caseId = await directDecision(t, officer, { number: '盐市监强〔2026〕7号', date: day });
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/stages/events`,
      headers: t.as(officer),
      payload: { type: 'filed', date: day },
    });
    expect(filed.statusCode).toBe(201);

    const session = await loggedIn(browser, base, officer);
    consoleErrors = session.consoleErrors;
    const page = session.page;
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByRole('link', { name: /查看和记录办案环节/ }).click();
    const form = page.locator('#served-form');
    await sees(form, '送达的文书');
    expect(await form.getByLabel('行政强制决定书（盐市监强〔2026〕7号）').isChecked()).toBe(true);

    // 留置送达 with neither a witness nor a photo or video of the leaving: refused, the message under 见证人.
    await form.getByLabel('送达方式').selectOption({ label: '留置送达' });
    await submit(page);
    await sees(page.locator('#served-witness-err'), '民事诉讼法第八十九条');
    expect(await page.locator('#served-witness').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('送达方式').inputValue()).toBe('left');
    expect(
      await t.db
        .selectFrom('case_stages')
        .select('id')
        .where('case_id', '=', caseId)
        .where('kind', '=', 'service')
        .execute(),
    ).toEqual([]);

    // 直接送达 to the party's legal representative, with the signed receipt's scan as the proof.
    const scan = Buffer.from(`%PDF-1.4\n% 送达回证（签收） ${caseId}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
    await form.getByLabel('送达方式').selectOption({ label: '直接送达' });
    await form.getByLabel('送达日期').fill(day);
    await form.getByLabel('受送达人或签收人').fill('张华（法定代表人）');
    await form
      .getByLabel(/^送达凭证/)
      .setInputFiles({ name: '送达回证签收.pdf', mimeType: 'application/pdf', buffer: scan });
    await submit(page);
    expect(new URL(page.url()).pathname).toBe(`/cases/${caseId}/stages`);

    const stage = page.locator('li.card', { has: page.getByRole('heading', { name: /^送达/ }) });
    await sees(stage, day);
    await sees(stage, '送达方式：直接送达；受送达人：张华（法定代表人）');
    await sees(stage, '送达的文书：行政强制决定书（盐市监强〔2026〕7号）');
    await sees(stage, '送达凭证');
    const proof = stage.getByRole('link', { name: '送达回证签收.pdf' });
    const download = await page.request.get(new URL((await proof.getAttribute('href'))!, base).href);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(scan)).toBe(true);

    // The 送达回证 the event issued is linked from the stage and downloads as a .docx.
    const receipt = stage.getByRole('link', { name: /^送达回证（/ });
    const docx = await page.request.get(new URL((await receipt.getAttribute('href'))!, base).href);
    expect(docx.status()).toBe(200);
    expect((await docx.body()).subarray(0, 2).toString()).toBe('PK');
    // The refused form came back as a 400 page, which Chromium logs; nothing else may have failed.
    expect(consoleErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
