// The page defects a newcomer met walking a whole review (issue 19), each asserted in the browser.
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { caseOf, completeStep, coordinationHeld, FACTS, packet, rereviewForm, reviewForm } from '../helpers/review.js';

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
  const d = await t.newDepartment({ code: 'SCJG', name: '盐城市市场监督管理局' });
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

/** Full-page screenshots at the desktop and tablet widths, for a person to look at. */
async function screenshots(page: Page, name: string) {
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

function upload(caseId: string, fileName: string) {
  const boundary = 'x-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\n`),
    Buffer.from('content-type: application/pdf\r\n\r\n'),
    Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/attachments`,
    headers: { ...t.as(officer), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

/** A case returned for correction twice, the third round carrying a new file, approved and decided. */
async function threeRoundCase() {
  const submitted = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  const { caseId } = submitted.json();
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  for (const note of ['已补充检验报告', '已补充资质证明']) {
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('退回补正', '证据不足。'));
    if (note === '已补充资质证明') expect((await upload(caseId, '资质证明.pdf')).statusCode).toBe(201);
    await completeStep(t, officer, caseId, 'Task_correct', { correctionNote: note });
  }
  // 不适用 (a point that does not apply) is the widest finding that must stay on one line.
  await completeStep(t, reviewer, caseId, 'Task_review', { ...reviewForm('同意'), finding_documents: '不适用' });
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  return caseId as string;
}

describe.skipIf(!hasChromium)('the pages a newcomer walks through', () => {
  it('the case page labels a round-3 upload as round 3, colours an approving decision as good, keeps 不适用 on one line', async () => {
    const caseId = await threeRoundCase();
    expect((await caseOf(t, officer, caseId)).currentRound).toBe(3);
    const { page } = await loggedIn(browser, base, officer);
    await page.goto(`${base}/cases/${caseId}`);
    const file = page.locator('p', { hasText: '资质证明.pdf' }).first();
    await sees(file, '资质证明.pdf');
    expect(await file.textContent()).toContain('第 3 轮');

    const verdict = page.locator('.chief-decision .verdict');
    await sees(verdict, '同意作出决定');
    const colours = await verdict.evaluate((el) => {
      const probe = (v: string) => {
        const s = document.createElement('span');
        s.style.color = `var(${v})`;
        document.body.append(s);
        const c = getComputedStyle(s).color;
        s.remove();
        return c;
      };
      return { own: getComputedStyle(el).color, ok: probe('--ok'), bad: probe('--bad') };
    });
    expect(colours.own).toBe(colours.ok);
    expect(colours.own).not.toBe(colours.bad);

    for (const width of [1280, 768]) {
      await page.setViewportSize({ width, height: 900 });
      const lines = await page
        .locator('.finding.na, span.finding', { hasText: '不适用' })
        .evaluateAll((els) => els.map((e) => e.getClientRects().length));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((n) => n === 1)).toBe(true);
    }
    await screenshots(page, 'case');
  });

  it('the task list names the department and its chips add up to 全部, 无期限 included', async () => {
    await threeRoundCase();
    const { page } = await loggedIn(browser, base, officer);
    await page.goto(`${base}/tasks`);
    const cells = await page.locator('table.tasks tbody tr td:nth-child(3)').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.trim() === '盐城市市场监督管理局')).toBe(true);
    const chips = await page.locator('.counts a.count').evaluateAll((els) =>
      els.map((e) => ({
        label: (e.firstChild?.textContent ?? '').trim(),
        n: Number(e.querySelector('b')?.textContent),
      })),
    );
    const [all, ...rest] = chips;
    expect(all.label).toBe('全部');
    expect(rest.map((c) => c.label)).toContain('无期限');
    expect(rest.reduce((s, c) => s + c.n, 0)).toBe(all.n);
    // Every step of the shipped flow has a time limit now, so the 无期限 chip is there and counts none.
    expect(rest.find((c) => c.label === '无期限')?.n).toBe(0);
    await screenshots(page, 'tasks');
  });

  it('a refused step form states its problem once, beside the field, in one wording', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet({ title: '一次提示测试案' }), facts: FACTS },
    });
    const { caseId } = res.json();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('不同意', '裁量明显不当。'));
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '裁量符合基准。' });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...coordinationHeld(),
      handlingPosition: '拟按一倍罚款',
      reviewPosition: '应按最低幅度',
      outcome: '未达成一致（报请负责人决定）',
      coordinationNote: '双方未能达成一致，提请负责人决定。',
      participants: '张三 执法科 科长\n李四 法规科 科长',
    });
    const task = (await caseOf(t, chief, caseId)).tasks.find(
      (x: { elementId: string; status: string }) => x.elementId === 'Task_chief_decision' && x.status === 'open',
    );
    const { page } = await loggedIn(browser, base, chief);
    await page.goto(`${base}/tasks/${task.id}`);
    await page.locator('input[name="decision"][value="同意作出决定"]').check();
    // Past the browser's own check (as without script), so that the server's answer is what the page shows.
    await page.evaluate(() => {
      (document.getElementById('task-form') as HTMLFormElement).noValidate = true;
    });
    await Promise.all([page.waitForNavigation(), page.locator('#task-form button[type="submit"]').first().click()]);
    const fieldError = (await page.locator('#err-decisionReasons').textContent())?.trim() ?? '';
    expect(fieldError.length).toBeGreaterThan(0);
    const text = await page.locator('main').innerText();
    expect(text.split(fieldError).length - 1).toBe(1);
    expect((await page.locator('#err-form').textContent())?.trim()).toBe('表单填写有误，请按提示修改（共 1 处）。');
  });
});
