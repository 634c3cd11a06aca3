import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { launchBrowser, listen, loggedIn, SCREENSHOTS } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';

/** A department's first flow (submission, acceptance, done, with its diagram), under another key if asked. */
const SIMPLE_REVIEW = readFileSync(new URL('../fixtures/lint/import/simple-review.bpmn', import.meta.url), 'utf8');
const simpleReview = (processKey = 'simple_review') => SIMPLE_REVIEW.replaceAll('simple_review', processKey);

let t: TestApp;
let base: string;
let browser: Browser;
let legal: TestUser;
let legal2: TestUser;
let officer: TestUser;
let reviewer: TestUser;

const FIXTURES = new URL('../fixtures/lint/import/', import.meta.url);

async function shot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, SCREENSHOTS)) });
}

async function openModeler(user: TestUser) {
  const session = await loggedIn(browser, base, user, { width: 1600, height: 1000 });
  // Only what goes wrong on the modeler page counts (the login page is another capability's).
  session.consoleErrors.length = 0;
  await session.page.goto(`${base}/modeler`);
  await session.page.waitForSelector('body[data-ready="true"]');
  return session;
}

/** Selects a diagram element by clicking it, unless it is selected (a second click could start label editing). */
async function select(page: Page, elementId: string) {
  const selected = await page.locator(`.djs-element.selected[data-element-id="${elementId}"]`).count();
  if (!selected) await page.locator(`.djs-element[data-element-id="${elementId}"]`).first().click({ force: true });
}

/** Selects a diagram element, then clicks one of its context pad entries. */
async function contextPad(page: Page, elementId: string, action: string) {
  await select(page, elementId);
  await page.locator(`.djs-context-pad .entry[data-action="${action}"]`).click();
}

async function api(user: TestUser, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: t.as(user), payload: payload as object });
  return { status: res.statusCode, body: res.body ? res.json() : null };
}

async function startCase() {
  const started = await api(officer, 'POST', '/api/instances', {
    processKey: 'simple_review',
    variables: { reviewerId: reviewer.id },
  });
  expect(started.status).toBe(201);
  return started.body as { instanceId: string; openTasks: { id: string; elementId: string }[] };
}

async function instance(id: string) {
  return (await api(legal, 'GET', `/api/instances/${id}`)).body as {
    definitionVersion: number;
    status: string;
    tasks: { elementId: string; status: string; name?: string }[];
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment({ name: '市市场监督管理局' });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  legal2 = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, simpleReview());
  base = await listen(t);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a legal admin changes the review flow in the modeler', () => {
  it('appends a 法制审核 step from a template, fixes the missing deadline and deploys; cases keep their version', async () => {
    const before = await startCase();
    const { page, consoleErrors } = await openModeler(legal);
    await expect.poll(() => page.locator('#fm-status').textContent()).toContain('第 1 版');

    // The flow ends right after acceptance: drop the end event, append a review step from its template.
    await contextPad(page, 'End_done', 'delete');
    await contextPad(page, 'Task_accept', 'append.fashen-template');
    await page.locator('.djs-popup [data-id="fashen-template-fashen.legal-review"]').click();
    const reviewId = await page.evaluate(() => {
      const selected = document.querySelector('.djs-element.selected');
      return selected?.getAttribute('data-element-id') ?? null;
    });
    expect(reviewId).toMatch(/^Activity_/);
    await contextPad(page, reviewId!, 'append.end-event');

    // Lint: the new review step has no time limit.
    await expect.poll(() => page.locator('.bjsl-button').textContent()).toContain('1 个错误');
    const lintMessages = await page.locator('.bjsl-overlay').allTextContents();
    expect(lintMessages.join('\n')).toContain('是审核任务，须设置审核时限');
    await select(page, reviewId!);
    await page.locator('.bjsl-overlay').first().hover();
    await shot(page, 'modeler-lint-missing-deadline');

    // Fix it in the properties panel.
    await select(page, reviewId!);
    const group = page.locator('[data-group-id="group-fashen-task"]');
    await group.locator('.bio-properties-panel-group-header').click();
    await page.locator('#bio-properties-panel-fashen-deadlineWorkingDays').fill('5');
    await expect.poll(() => page.locator('.bjsl-button').textContent()).toContain('没有问题');
    await shot(page, 'modeler-deadline-fixed');
    // The template's badge is in Chinese, and it set the step's document template (文书模板).
    await expect
      .poll(() => page.locator('.bio-properties-panel-applied-template-button').textContent())
      .toContain('已应用');
    expect(await page.locator('#bio-properties-panel-fashen-documentTemplate').inputValue()).toBe('review_opinion');
    const documentOptions = await page
      .locator('#bio-properties-panel-fashen-documentTemplate option')
      .allTextContents();
    expect(documentOptions.join('\n')).toContain('法制审核意见书');
    // The template says what step it is (fashen:step), so the step's form and figures follow whatever its id.
    expect(await page.locator('#bio-properties-panel-fashen-step').inputValue()).toBe('review');
    const stepOptions = await page.locator('#bio-properties-panel-fashen-step option').allTextContents();
    expect(stepOptions).toEqual(expect.arrayContaining(['法制审核（review）', '负责人决定（chief_decision）']));

    // Token simulation speaks Chinese too.
    await page.locator('.bts-toggle-mode').click();
    await expect.poll(() => page.locator('.bts-toggle-mode').textContent()).toContain('模拟运行');
    expect(await page.locator('.bts-log .bts-header').textContent()).toContain('模拟日志');
    expect(
      await page.locator('.bts-palette [title]').evaluateAll((els) => els.map((e) => e.getAttribute('title'))),
    ).toEqual(expect.arrayContaining(['开始/暂停模拟', '重置模拟', '显示/隐藏模拟日志']));
    await shot(page, 'modeler-simulation');
    await page.locator('.bts-toggle-mode').click();

    // Propose the deployment with a change note; a second legal admin approves it on the changes page.
    await page.locator('#fm-deploy').click();
    await page.locator('#fm-dialog-text').fill('增加法制审核环节，审核时限 5 个工作日');
    await page.locator('#fm-dialog-ok').click();
    await expect.poll(() => page.locator('#fm-status').textContent()).toContain('已提交部署申请');
    const requestUrl = await page.locator('#fm-request-link').getAttribute('href');
    await shot(page, 'modeler-proposed');
    const second = await loggedIn(browser, base, legal2);
    await second.page.goto(`${base}${requestUrl}`);
    await second.page.locator('#approve').click();
    await expect.poll(() => second.page.locator('.notice').first().textContent()).toContain('已批准');
    await shot(second.page, 'changes-approved');
    await second.context.close();

    const versions = (await api(legal, 'GET', '/api/workflows/simple_review/versions')).body;
    expect(versions[0]).toMatchObject({ version: 2, changeNote: '增加法制审核环节，审核时限 5 个工作日' });

    // A case started now runs on version 2 and reaches the new review step; the older one stays on version 1.
    const after = await startCase();
    for (const c of [before, after]) {
      const accept = c.openTasks.find((task) => task.elementId === 'Task_accept')!;
      expect((await api(legal, 'POST', `/api/tasks/${accept.id}/complete`, {})).status).toBe(200);
    }
    const [old, fresh] = await Promise.all([instance(before.instanceId), instance(after.instanceId)]);
    expect(old.definitionVersion).toBe(1);
    expect(old.status).toBe('completed');
    expect(fresh.definitionVersion).toBe(2);
    expect(fresh.tasks.filter((task) => task.status === 'open').map((task) => task.elementId)).toEqual([reviewId]);
    const review = await t.db.selectFrom('tasks').select('step').where('element_id', '=', reviewId!).executeTakeFirst();
    expect(review?.step).toBe('review');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('opens a Camunda Modeler file that uses only supported elements and deploys it', async () => {
    const { page } = await openModeler(legal);
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#fm-import').click();
    await (await chooser).setFiles(fileURLToPath(new URL('camunda-supported.bpmn', FIXTURES)));
    await expect.poll(() => page.locator('#fm-panel').textContent()).toContain('只使用了受支持的元素');
    await page.locator('#fm-deploy').click();
    await page.locator('#fm-dialog-text').fill('导入 Camunda Modeler 绘制的流程');
    await page.locator('#fm-dialog-ok').click();
    await expect.poll(() => page.locator('#fm-status').textContent()).toContain('已提交部署申请');
    await page.context().close();
  });

  it('names each unsupported element of an imported file, and deploy refuses it', async () => {
    const { page } = await openModeler(legal);
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#fm-import').click();
    await (await chooser).setFiles(fileURLToPath(new URL('camunda-unsupported.bpmn', FIXTURES)));
    const panel = page.locator('#fm-panel');
    await expect.poll(() => panel.textContent()).toContain('不受支持');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('scriptTask（id=Activity_review）');
    expect(text).toContain('businessRuleTask（id=Activity_rules）');
    expect(text).toContain('camunda:executionListener');
    await shot(page, 'modeler-import-unsupported');
    await page.locator('#fm-deploy').click();
    await expect.poll(() => page.locator('#fm-status').textContent()).toContain('问题须修正');
    await page.context().close();
  });
});

describe('an officer looks at the flow', () => {
  it('sees it read-only, without deploy, and the API refuses a deploy', async () => {
    const { page } = await openModeler(officer);
    await expect.poll(() => page.locator('.fm-readonly').textContent()).toContain('只读');
    expect(await page.locator('#fm-deploy').count()).toBe(0);
    expect(await page.locator('#fm-save').count()).toBe(0);
    expect(await page.locator('.djs-palette').count()).toBe(0);
    await shot(page, 'modeler-officer-readonly');
    await page.context().close();

    const proposal = await api(officer, 'POST', '/api/deployment-requests', { xml: simpleReview(), note: '越权部署' });
    expect(proposal.status).toBe(403);
    const raw = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...t.as(officer), 'content-type': 'application/xml' },
      payload: simpleReview(),
    });
    expect(raw.statusCode).toBe(403);
  });
});

describe('a legal admin marks a catalogue item 须集体讨论', () => {
  it('ticks it in the properties panel; on a flow without the 集体讨论 branch lint names the missing parts', async () => {
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
    const { page, consoleErrors } = await openModeler(legal);
    await page.locator('#fm-process').selectOption('legal_review');
    await expect.poll(() => page.locator('.bjsl-button').textContent()).toContain('没有问题');
    // Nothing selected: the panel shows the process, with its catalogue.
    await page.locator('[data-group-id="group-fashen-catalogue"] .bio-properties-panel-group-header').click();
    await page
      .locator('[data-group-id="group-fashen-catalogue"] .bio-properties-panel-collapsible-entry-header')
      .first()
      .click();
    const box = page.locator('#bio-properties-panel-fashen-catalogue-0-collective');
    expect(await box.isChecked()).toBe(false);
    // The panel's checkbox shows the model: a click changes the model and the box follows once the panel has
    // re-rendered (Playwright's check() reads the box right after its click, and so failed here at times).
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(true);
    await expect.poll(() => page.locator('.bjsl-button').textContent()).toContain('1 个错误');
    await page.locator('#fm-check').click();
    await expect
      .poll(() => page.locator('#fm-panel').textContent())
      .toContain('流程缺少以 collectiveDiscussion = true 为条件的分支和负责人会签');
    await shot(page, 'modeler-collective-mark');
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(false);
    await expect.poll(() => page.locator('.bjsl-button').textContent()).toContain('没有问题');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});
