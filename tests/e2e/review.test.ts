import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, SCREENSHOTS, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { importLaws } from '../helpers/laws.js';
import { caseOf, completeStep, FACTS, packet, today } from '../helpers/review.js';

let t: TestApp;
let base: string;
let browser: Browser;
let officer: TestUser;
let legal: TestUser;
let reviewers: TestUser[];
let chief: TestUser;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '盐城市市场监督管理局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  reviewers = [
    await t.newUser({ departmentId: d.id, roles: ['reviewer'] }),
    await t.newUser({ departmentId: d.id, roles: ['reviewer'] }),
  ];
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  // The legal bases are checked against the library as the officer writes them: the one law the packet cites.
  await importLaws(t, /产品质量法/);
  base = await listen(t);
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A browser page signed in as the user; its console errors count against the test. */
async function as(user: TestUser, width = 1280) {
  const session = await loggedIn(browser, base, user, { width, height: 900 });
  session.page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${user.username}: ${m.text()}`);
  });
  session.page.on('pageerror', (e) => consoleErrors.push(`${user.username}: ${e.message}`));
  return session;
}

/** A field's label exactly, with or without the required mark. */
const field = (text: string) => new RegExp(`^${text.replace(/[()（）]/g, '\\$&')}\\*?$`);

async function count(loc: Locator, n: number) {
  await expect.poll(() => loc.count(), { timeout: 15_000 }).toBe(n);
}

/** Full-page screenshots at the desktop and tablet widths, for a person to look at. */
async function screenshots(page: Page, name: string) {
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    // Wait for the relayout at the new width to be painted (two frames), not for a guessed time.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const path = fileURLToPath(new URL(`workbench-${name}-${width}.png`, SCREENSHOTS));
    await page.screenshot({ path, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Opens the user's task for this case and step from the task list, as a person would. */
async function openFromTaskList(page: Page, caseNumber: string, step: string) {
  await page.goto(`${base}/tasks`);
  const row = page.locator('tbody tr', { hasText: caseNumber }).filter({ hasText: step });
  await row.getByRole('link', { name: '办理' }).click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  await sees(page.getByRole('heading', { level: 1 }), step);
}

async function submitForm(page: Page, button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

/**
 * A refused form comes back as a 400 page, as it should; Chromium logs every 4xx document as a console error.
 * That one line is expected here, and only that one.
 */
async function submitRefused(page: Page, button: string) {
  const before = consoleErrors.length;
  await submitForm(page, button);
  await page.waitForLoadState('load');
  expect(consoleErrors.slice(before)).toEqual([expect.stringMatching(/status of 400 \(Bad Request\)$/)]);
  consoleErrors.splice(before);
}

async function assignedReviewer(caseId: string) {
  const c = await caseOf(t, legal, caseId);
  return reviewers.find((r) => r.id === c.reviewerId)!;
}

/** The text of the main part of a .docx (word/document.xml without its tags). */
async function docxText(content: Buffer): Promise<string> {
  const zip = await yauzl.fromBufferPromise(content, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== 'word/document.xml') continue;
      const chunks: Buffer[] = [];
      for await (const c of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(c);
      return Buffer.concat(chunks)
        .toString('utf8')
        .replace(/<[^>]+>/g, '');
    }
  } finally {
    zip.close();
  }
  throw new Error('word/document.xml not found');
}

/** A short silent WAV, so the case page has something to play. */
function silentWav(seconds = 1, rate = 8000): Buffer {
  const data = Buffer.alloc(seconds * rate);
  data.fill(128);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Marks a point's finding in the review table, with a note. */
async function finding(page: Page, point: string, value: string, note?: string) {
  const row = page.locator(`tr[data-point="${point}"]`);
  await row.getByLabel(value, { exact: true }).check();
  if (note !== undefined) await row.getByRole('textbox').fill(note);
}

describe.skipIf(!hasChromium)('the review done in the browser', () => {
  it('submit with attachments → accept → return for correction → resubmit → approve → chief → record → .docx', async () => {
    const caseNumber = `市监罚〔2026〕E2E${Date.now() % 100000}号`;
    // The handling officer fills in the packet; the catalogue's judgement appears before submitting.
    const off = await as(officer);
    const photo = await off.page.screenshot();
    await off.page.getByRole('link', { name: '送审', exact: true }).click();
    await sees(off.page.getByRole('heading', { level: 1 }), '送审');
    const p = off.page;
    await p.getByLabel('案件编号').fill(caseNumber);
    await p.getByLabel('决定类别').selectOption('penalty');
    await p.getByLabel('案件名称').fill('某某贸易有限公司销售不合格电热水壶案');
    await p.getByLabel('法人或者其他组织').check();
    await p.getByLabel('姓名或名称').fill('盐城某某贸易有限公司');
    await p.getByLabel('身份证号码或统一社会信用代码').fill('91320900MA1XXXXX0X');
    await p.getByLabel('住所或地址').fill('盐城市亭湖区某路1号');
    await p.getByLabel('认定的事实').fill('经查，当事人于2026年3月至5月销售不合格电热水壶320台，货值金额六万四千元。');
    await p.getByLabel('证据名称').first().fill('现场检查笔录');
    await p.getByRole('button', { name: '添加证据' }).click();
    await p.getByLabel('证据名称').nth(1).fill('抽样检验报告');
    await p.getByLabel('证据说明').nth(1).fill('检验结论：不合格');
    await p.getByLabel('法律法规名称').first().fill('《中华人民共和国产品质量法》');
    await p.getByLabel('条款').first().fill('第九百条');
    await sees(p.locator('.basis-status').first(), '这部法律法规没有此条');
    await p.getByLabel('条款').first().fill('第四十九条');
    await sees(p.locator('.basis-status').first(), '已核对');
    await p.getByLabel('适用的裁量基准').fill('《市场监管行政处罚裁量基准》产品质量类第3项');
    await p.getByLabel('在裁量幅度中的位置').fill('货值金额1倍');
    await p.getByLabel(field('拟作出的决定')).fill('没收不合格产品，并处罚款六万四千元。');
    await p.getByLabel('涉案金额（元）').fill('64000');
    await sees(p.locator('#evaluation'), '本案属于重大执法决定：行政处罚 — 对法人或者其他组织处以五万元以上罚款');
    await p.locator('#voluntary').waitFor({ state: 'hidden' });
    for (const m of ['拟作出的行政执法决定书（代拟稿）', '案件调查终结报告', '证据材料目录及证据']) {
      await p.getByLabel(m).check();
    }
    await sees(p.locator('.draft-status'), '草稿已自动保存');
    await p.locator('#submit-files').setInputFiles([
      { name: '现场照片.png', mimeType: 'image/png', buffer: photo },
      { name: '询问录音.wav', mimeType: 'audio/wav', buffer: silentWav() },
    ]);
    await screenshots(p, 'submit-form');
    await Promise.all([
      p.waitForURL(/\/cases\/[0-9a-f-]{36}\?flash=submitted/),
      p.getByRole('button', { name: '提交送审', exact: true }).click(),
    ]);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(p.url())![1];
    await sees(p.getByRole('status'), '已送审');
    // The attachments sit below the packet, its hints and similar cases: a lazy image loads once scrolled to.
    await p.locator('#attachments').scrollIntoViewIfNeeded();
    await p.getByRole('img', { name: '现场照片.png' }).waitFor({ state: 'visible' });
    await count(p.locator('audio[aria-label="询问录音.wav"]'), 1);
    await count(p.locator('#bpmn-canvas[data-ready="true"]'), 1);
    await count(p.locator('.djs-element.current-step[data-element-id="Task_accept"]'), 1);

    // The legal unit checks the materials against the catalogue and accepts.
    const leg = await as(legal);
    await openFromTaskList(leg.page, caseNumber, '受理审查（材料是否齐全）');
    await screenshots(leg.page, 'acceptance-form');
    expect(await leg.page.getByLabel('案件调查终结报告').isChecked()).toBe(true);
    await leg.page.getByLabel('材料齐全，予以受理').check();
    await submitForm(leg.page, '提交');
    await sees(leg.page.locator('.case-head .status'), '法制审核中');

    // The assigned reviewer finds the evidence insufficient and returns the packet for correction.
    const reviewer = await assignedReviewer(caseId);
    const rev = await as(reviewer);
    await rev.page.goto(`${base}/tasks`);
    await screenshots(rev.page, 'task-list');
    await openFromTaskList(rev.page, caseNumber, '法制审核');
    await rev.page.getByRole('button', { name: '将未选择的事项设为“符合”' }).click();
    await finding(rev.page, 'evidence', '不符合', '缺少检验机构的资质证明，抽样程序无法核实。');
    await finding(rev.page, 'crime_transfer', '否');
    await sees(rev.page.locator('.draft-status'), '草稿已保存');
    await rev.page.reload();
    await rev.page.getByText('保存的草稿').waitFor({ state: 'visible' });
    expect(await rev.page.locator('tr[data-point="evidence"]').getByLabel('不符合', { exact: true }).isChecked()).toBe(
      true,
    );
    await rev.page.getByLabel('退回补正', { exact: true }).check();
    await rev.page.getByLabel(field('理由')).fill('证据不足以证明抽样程序合法。');
    await rev.page.getByLabel('修改或补正建议').fill('补充检验机构资质证明。');
    await screenshots(rev.page, 'review-form');
    await submitForm(rev.page, '签署并提交审核意见');
    await sees(rev.page.locator('.case-head .status'), '退回补正中');
    await sees(rev.page.locator('.opinion tr.finding-nonconform'), '证据合法充分');

    // The officer adds the missing evidence and resubmits: round 2 shows what changed.
    await openFromTaskList(p, caseNumber, '修改补正并再次报送');
    await p.getByText('补充检验机构资质证明。').waitFor({ state: 'visible' });
    await p.getByRole('button', { name: '添加证据' }).click();
    await p.getByLabel('证据名称').last().fill('检验机构资质证明');
    await p.getByLabel('补正情况说明').fill('已补充检验机构资质证明。');
    await screenshots(p, 'correction-form');
    await submitForm(p, '保存修改并再次报送');
    await sees(p.locator('.rounds'), '第 2 轮');
    await sees(p.locator('.rounds ins'), '检验机构资质证明');

    // Round 2 passes.
    await openFromTaskList(rev.page, caseNumber, '法制审核');
    await rev.page.getByRole('heading', { name: '第 2 轮报送修改的内容' }).waitFor({ state: 'visible' });
    await rev.page.getByRole('button', { name: '将未选择的事项设为“符合”' }).click();
    await finding(rev.page, 'crime_transfer', '否');
    await rev.page.getByLabel('同意', { exact: true }).check();
    await rev.page.getByLabel(field('理由')).fill('经审核，事实清楚，证据确实充分，适用法律正确，程序合法。');
    await submitForm(rev.page, '签署并提交审核意见');
    await sees(rev.page.locator('.case-head .status'), '待负责人决定');
    // Round 2 starts from its own notes: nothing of round 1's findings leaks into the new opinion.
    expect(await rev.page.locator('.opinion').nth(1).textContent()).not.toContain('缺少检验机构的资质证明');

    // The chief decides as the review proposed: no reasons needed.
    const chi = await as(chief);
    await openFromTaskList(chi.page, caseNumber, '负责人决定');
    await chi.page.getByLabel('同意作出决定').check();
    await chi.page.locator('#override-warning').waitFor({ state: 'hidden' });
    await submitForm(chi.page, '作出决定');
    await sees(chi.page.locator('.case-head .status'), '待记录决定');

    // The officer records the decision.
    await openFromTaskList(p, caseNumber, '记录执法决定');
    await p.getByLabel('决定书文号').fill('盐市监罚〔2026〕18号');
    await submitForm(p, '记录决定');
    await sees(p.locator('.case-head .status'), '已作出决定');
    await sees(p.locator('.timeline'), '签署法制审核意见书');
    await sees(p.locator('.timeline'), '负责人作出决定');
    await count(p.locator('.djs-element.done-step[data-element-id="Task_record_decision"]'), 1);
    await screenshots(p, 'case-page');

    // The first written opinion downloads as Word, with its findings in it.
    const row = p.locator('#documents tbody tr', { hasText: '法制审核意见书' }).first();
    const [download] = await Promise.all([p.waitForEvent('download'), row.getByRole('link').click()]);
    expect(download.suggestedFilename()).toMatch(/^法制审核意见书.*\.docx$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    const text = await docxText(Buffer.concat(chunks));
    expect(text).toContain('证据合法充分');
    expect(text).toContain('不符合');
    expect(text).toContain('缺少检验机构的资质证明');

    for (const s of [off, leg, rev, chi]) await s.context.close();
    expect(consoleErrors).toEqual([]);
  }, 180_000);

  it('disagreement: contest → re-review → coordination → the chief may override only with reasons', async () => {
    const caseNumber = `市监罚〔2026〕D${Date.now() % 100000}号`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet({ caseNumber }), facts: FACTS },
    });
    const caseId = created.json().caseId as string;
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });

    const rev = await as(await assignedReviewer(caseId));
    await openFromTaskList(rev.page, caseNumber, '法制审核');
    await rev.page.getByRole('button', { name: '将未选择的事项设为“符合”' }).click();
    await finding(rev.page, 'discretion', '不符合', '初次违法，应在基准最低幅度内处罚。');
    await finding(rev.page, 'crime_transfer', '否');
    await rev.page.getByLabel('不同意', { exact: true }).check();
    await rev.page.getByLabel(field('理由')).fill('裁量明显不当。');
    await submitForm(rev.page, '签署并提交审核意见');
    await sees(rev.page.locator('.case-head .status'), '异议期');

    const off = await as(officer);
    await openFromTaskList(off.page, caseNumber, '对审核意见是否提出异议');
    await sees(off.page.locator('.opinion'), '初次违法，应在基准最低幅度内处罚。');
    await off.page.getByLabel('提出异议，申请复核').check();
    await off.page.getByLabel('异议理由').fill('当事人货值较大，按基准中档处罚符合裁量基准。');
    await submitForm(off.page, '提交');

    await openFromTaskList(rev.page, caseNumber, '复核');
    await rev.page.getByText('当事人货值较大，按基准中档处罚符合裁量基准。').waitFor({ state: 'visible' });
    // The re-review is a new opinion: every point is answered again.
    await rev.page.getByRole('button', { name: '将未选择的事项设为“符合”' }).click();
    await finding(rev.page, 'discretion', '不符合', '初次违法，应在基准最低幅度内处罚。');
    await finding(rev.page, 'crime_transfer', '否');
    await rev.page.getByLabel('维持原审核意见').check();
    await rev.page.getByLabel('复核理由').fill('维持原审核意见。');
    await submitForm(rev.page, '提交');

    const leg = await as(legal);
    await openFromTaskList(leg.page, caseNumber, '协调（双方机构负责人）');
    expect(await leg.page.getByLabel(field('承办机构意见')).inputValue()).toBe(
      '当事人货值较大，按基准中档处罚符合裁量基准。',
    );
    await leg.page.getByLabel('协调日期').fill(today());
    await leg.page.getByLabel('协调地点').fill('本局三楼会议室');
    await leg.page.getByLabel('未达成一致（报请负责人决定）').check();
    await leg.page.getByLabel('协调意见').fill('双方未能达成一致，提请负责人决定。');
    await leg.page.getByLabel('参加人员').fill('张三 执法科 科长\n李四 法规科 科长');
    await submitForm(leg.page, '提交');

    // The chief is told before submitting, and refused when submitting without reasons.
    const chi = await as(chief);
    await openFromTaskList(chi.page, caseNumber, '负责人决定');
    await chi.page.getByRole('heading', { name: '作出决定前请注意' }).waitFor({ state: 'visible' });
    await chi.page.getByLabel('同意作出决定').check();
    await sees(chi.page.locator('#override-warning'), '此决定不同于法制审核意见');
    await submitRefused(chi.page, '作出决定');
    await sees(chi.page.locator('#err-decisionReasons'), '必须书面说明理由（不少于10个字）');
    expect(
      await chi.page
        .getByLabel(field('理由（与审核意见或承办机构意见不一致时必填）'))
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await screenshots(chi.page, 'chief-refused');
    await chi.page
      .getByLabel(field('理由（与审核意见或承办机构意见不一致时必填）'))
      .fill('当事人系初次违法但货值较大，按基准中档处罚适当，由本人承担决定责任。');
    await submitForm(chi.page, '作出决定');
    await sees(chi.page.locator('.case-head .status'), '待记录决定');
    await sees(chi.page.locator('.decision'), '本决定不同于法制审核意见，由负责人承担相应责任');

    for (const s of [off, leg, rev, chi]) await s.context.close();
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
