import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, sees } from '../helpers/browser.js';
import { deploy, workflowFile } from '../helpers/flows.js';
import { completeStep, FACTS, packet, reviewForm } from '../helpers/review.js';

// 集体讨论 in the browser: the chair convenes three of five leaders, each votes on their own 会签 task page.

let t: TestApp;
let base: string;
let browser: Browser;
let officer: TestUser;
let reviewer: TestUser;
let legal: TestUser;
let leaders: TestUser[];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '盐城市市场监督管理局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  const admin = await t.newUser({ departmentId: d.id, roles: ['admin'] });
  leaders = [];
  for (const position of ['局长', '副局长', '副局长', '副局长', '纪检组长']) {
    leaders.push(await t.newUser({ departmentId: d.id, roles: ['chief'], position }));
  }
  const set = await t.app.inject({
    method: 'PUT',
    url: `/api/departments/${d.id}/leaders`,
    headers: t.as(admin),
    payload: { leaders: leaders.map((l, i) => ({ userId: l.id, position: i === 0 ? '局长' : '副局长' })) },
  });
  expect(set.statusCode).toBe(200);
  await deploy(t, legal, await workflowFile('legal-review-collective.bpmn'));
  base = await listen(t);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function as(user: TestUser): Promise<Page> {
  const session = await loggedIn(browser, base, user, { width: 1280, height: 900 });
  session.page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${user.username}: ${m.text()}`);
  });
  session.page.on('pageerror', (e) => consoleErrors.push(`${user.username}: ${e.message}`));
  return session.page;
}

async function openTasks(caseId: string, elementId: string) {
  const detail = (await t.app.inject({ url: `/api/cases/${caseId}`, headers: t.as(legal) })).json();
  return detail.tasks.filter(
    (x: { elementId: string; status: string }) => x.elementId === elementId && x.status === 'open',
  ) as { id: string; assigneeId: string | null }[];
}

async function submit(page: Page) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交', exact: true }).click()]);
}

describe.skipIf(!hasChromium)('集体讨论 in the browser', () => {
  it('the chief convenes three of five leaders, each votes on their own page, the dissent is on the record', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet(), facts: { ...FACTS, complex: true } },
    });
    const caseId = res.json().caseId as string;
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    const [chair, second, dissenter] = leaders;

    const [convene] = await openTasks(caseId, 'Task_convene');
    const page = await as(chair);
    await page.goto(`${base}/tasks/${convene.id}`);
    await sees(page.getByRole('heading', { level: 1 }), '召集集体讨论');
    await page.getByLabel(/^讨论地点/).fill('局三楼会议室');
    await page.getByLabel(/^出席的机关负责人/).fill([chair, second, dissenter].map((l) => l.username).join('\n'));
    await submit(page);

    const votes = await openTasks(caseId, 'Task_collective_vote');
    expect(votes).toHaveLength(3);
    const answers: [TestUser, string, string][] = [
      [chair, '同意', '事实清楚，同意。'],
      [second, '同意', '裁量适当。'],
      [dissenter, '不同意', '当事人系初次违法，建议从轻处罚。'],
    ];
    for (const [leader, vote, opinion] of answers) {
      const task = votes.find((v) => v.assigneeId === leader.id)!;
      const p = leader === chair ? page : await as(leader);
      await p.goto(`${base}/tasks/${task.id}`);
      await sees(p.getByRole('heading', { level: 1 }), '集体讨论表决（会签）');
      await p.getByLabel(vote, { exact: true }).check();
      await p.getByLabel(/^发表的意见/).fill(opinion);
      await submit(p);
    }

    const rows = await t.db.selectFrom('case_records').select('body').where('case_id', '=', caseId).execute();
    const bodies = rows.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body));
    const discussed = bodies.find((b) => b.type === 'case.collective_discussed');
    expect(discussed.payload).toMatchObject({ result: 'agree', agree: 2, disagree: 1 });
    expect(discussed.payload.opinions).toContainEqual(
      expect.objectContaining({ userId: dissenter.id, vote: '不同意', opinion: '当事人系初次违法，建议从轻处罚。' }),
    );
    expect(await openTasks(caseId, 'Task_chief_decision')).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
  });
});
