import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';

let t: TestApp;
let supervisor: TestUser;
let admin: TestUser;
let reviewer: TestUser;
let dept: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  const bureau = await t.newDepartment({ name: '市司法局' });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  admin = await t.newUser({ departmentId: bureau.id, roles: ['admin'] });
  dept = await t.newDepartment({ name: '市市场监督管理局' });
  const legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  reviewer = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
  await deploy(t, legal, await workflowFile('legal-review-scjg.bpmn'));
  const power = await t.app.inject({
    method: 'POST',
    url: `/api/departments/${dept.id}/powers`,
    headers: t.as(legal),
    payload: { code: 'XK-1', name: '食品经营许可', category: 'licensing', legalBasis: '《食品安全法》第三十五条' },
  });
  expect(power.statusCode).toBe(201);
}, 180_000);
afterAll(() => t.close());

describe('the justice bureau’s pages', () => {
  it('flags on the supervisor’s view a department whose catalogue covers none of its licensing powers', async () => {
    const s = await pageSession(t, supervisor);
    const page = await s.get('/supervisor');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('目录清单未覆盖职权类别');
    expect(page.body).toMatch(/市市场监督管理局<\/b>（行政许可/);
  });

  it('edits a floor item’s time limit, refuses to remove a statutory one, and opens the pool city-wide', async () => {
    const s = await pageSession(t, supervisor);
    const page = await s.get('/supervisor/review-floor');
    expect(page.statusCode).toBe(200);
    for (const situation of ['涉及重大公共利益', '经过听证程序作出决定', '案件情况疑难复杂、涉及多个法律关系']) {
      expect(page.body).toContain(situation);
    }
    const saved = await s.post('/supervisor/review-floor/items/DX-04', { reviewWorkingDays: '8', basis: '依据' });
    expect(saved.statusCode).toBe(303);
    const floor = (await t.app.inject({ url: '/api/review-floor' })).json();
    expect(floor.items.find((i: { code: string }) => i.code === 'DX-04').reviewWorkingDays).toBe(8);
    await s.get('/supervisor/review-floor');
    const removed = await s.post('/supervisor/review-floor/items/DX-04/remove', {});
    expect(removed.statusCode).toBe(409);
    expect(removed.body).toContain('不能从全市法制审核底线目录中删除');
    await s.get('/supervisor/review-floor');
    expect((await s.post('/supervisor/review-floor/pool', { citywide: '1' })).statusCode).toBe(303);
    const settings = (await t.app.inject({ url: '/api/reviewer-pool/settings', headers: t.as(admin) })).json();
    expect(settings.citywide).toBe(true);
  });

  it('records a reviewer’s 法律职业资格 and first-time status on the admin’s user page', async () => {
    const s = await pageSession(t, admin);
    const form = await s.get(`/admin/users/${reviewer.id}`);
    expect(form.body).toContain('法律职业资格证书编号');
    const missingDate = await s.post(`/admin/users/${reviewer.id}`, {
      displayName: '钱审核',
      roles: 'reviewer',
      reviewerKind: 'staff',
      qualNumber: 'A20243209000001',
      firstTime: '1',
    });
    expect(missingDate.statusCode).toBe(400);
    expect(missingDate.body).toContain('请填写取得法律职业资格的日期');
    const saved = await s.post(`/admin/users/${reviewer.id}`, {
      displayName: '钱审核',
      roles: 'reviewer',
      reviewerKind: 'staff',
      qualNumber: 'A20243209000001',
      qualDate: '2024-12-20',
      firstTime: '1',
    });
    expect(saved.statusCode).toBe(303);
    const me = (await t.app.inject({ url: `/api/users?departmentId=${dept.id}`, headers: t.as(admin) })).json();
    expect(me.find((u: { id: string }) => u.id === reviewer.id)).toMatchObject({
      firstTimeReviewer: true,
      legalQualification: { number: 'A20243209000001', date: '2024-12-20' },
    });
  });
});
