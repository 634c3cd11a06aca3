import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, FACTS, openTask, packet, reviewForm } from './helpers/review.js';

let t: TestApp;
let admin: TestUser;
let supervisor: TestUser;
let envAdviser: TestUser;
let xml: string;

/** An agency of an enforcement system with its officer, legal admin and (optionally) its own reviewer. */
async function agency(name: string, system: string | null) {
  const d = await t.newDepartment({ name });
  await t.db.updateTable('departments').set({ enforcement_system: system }).where('id', '=', d.id).execute();
  const officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, xml);
  return { id: d.id, officer, legal };
}

async function submit(officer: TestUser) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  expect(res.statusCode).toBe(201);
  return res.json().caseId as string;
}

async function complete(user: TestUser, caseId: string, elementId: string, form: Record<string, unknown>) {
  const task = await openTask(t, user, caseId, elementId);
  return t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/complete`, headers: t.as(user), payload: form });
}

async function toPool(user: TestUser) {
  return t.app.inject({ method: 'PUT', url: `/api/reviewer-pool/${user.id}`, headers: t.as(admin), payload: {} });
}

const setCitywide = (citywide: boolean) =>
  t.app.inject({ method: 'PUT', url: '/api/reviewer-pool/settings', headers: t.as(supervisor), payload: { citywide } });

const assignment = async (user: TestUser, caseId: string) => {
  const c = await caseOf(t, user, caseId);
  const records = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(user) })).json();
  return { c, records };
};

beforeAll(async () => {
  t = await createTestApp();
  xml = await workflowFile('legal-review.bpmn');
  const bureau = await t.newDepartment({ name: '市司法局' });
  admin = await t.newUser({ departmentId: bureau.id, roles: ['admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  const env = await agency('市生态环境局', '生态环境系统');
  envAdviser = await t.newUser({ departmentId: env.id, roles: ['reviewer'] });
  expect((await toPool(envAdviser)).statusCode).toBe(204);
}, 180_000);
afterAll(() => t.close());

describe('the shared pool lends within the enforcement system (本系统内)', () => {
  it('gives a 市场监管 case to no 生态环境 adviser, and lets none sign, unless the justice bureau opens the pool city-wide', async () => {
    const market = await agency('市市场监督管理局', '市场监管系统');
    const caseId = await submit(market.officer);
    const refused = await complete(market.legal, caseId, 'Task_accept', { complete: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'NO_ELIGIBLE_REVIEWER',
      message: expect.stringContaining('本系统（市场监管系统）法制审核人才库'),
    });
    expect((await caseOf(t, market.legal, caseId)).reviewerId).toBeNull();

    // Opened city-wide, the adviser is lent, and the record says from where and why.
    expect((await setCitywide(true)).statusCode).toBe(204);
    expect((await complete(market.legal, caseId, 'Task_accept', { complete: true })).statusCode).toBe(200);
    const { c, records } = await assignment(market.legal, caseId);
    expect(c.reviewerId).toBe(envAdviser.id);
    const assigned = records.items.find((r: { type: string }) => r.type === 'case.reviewer_assigned');
    expect(assigned.payload).toMatchObject({
      reviewerId: envAdviser.id,
      reviewerDepartment: '市生态环境局',
      basis: expect.stringContaining('全市法制审核人才库，司法行政部门已开启全市调用'),
    });

    // Closed again before the opinion: the adviser may not sign another system's opinion.
    expect((await setCitywide(false)).statusCode).toBe(204);
    const signed = await complete(envAdviser, caseId, 'Task_review', reviewForm('同意'));
    expect(signed.statusCode).toBe(409);
    expect(signed.json().error).toMatchObject({
      code: 'REVIEWER_OUT_OF_SYSTEM',
      message: expect.stringContaining('人才库限于本系统内调用'),
    });
    expect((await caseOf(t, market.legal, caseId)).opinions).toEqual([]);
  });

  it('lends a pool reviewer of the same system, saying so on the record', async () => {
    const city = await agency('市市场监督管理局（二）', '市场监管系统');
    const county = await t.newDepartment({ name: '县市场监督管理局' });
    await t.db
      .updateTable('departments')
      .set({ enforcement_system: '市场监管系统' })
      .where('id', '=', county.id)
      .execute();
    const countyReviewer = await t.newUser({ departmentId: county.id, roles: ['reviewer'] });
    expect((await toPool(countyReviewer)).statusCode).toBe(204);
    const caseId = await submit(city.officer);
    expect((await complete(city.legal, caseId, 'Task_accept', { complete: true })).statusCode).toBe(200);
    const { c, records } = await assignment(city.legal, caseId);
    expect(c.reviewerId).toBe(countyReviewer.id);
    const assigned = records.items.find((r: { type: string }) => r.type === 'case.reviewer_assigned');
    expect(assigned.payload.basis).toContain('借调自县市场监督管理局（本系统（市场监管系统）法制审核人才库）');
    expect((await complete(countyReviewer, caseId, 'Task_review', reviewForm('同意'))).statusCode).toBe(200);
  });
});

describe('reviewers’ legal qualification (行政处罚法 第五十八条第二款)', () => {
  it('never assigns a first-time reviewer without 法律职业资格, and does once the admin records it', async () => {
    const d = await agency('市交通运输局', '交通运输系统');
    const novice = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/users/${novice.id}`, headers: t.as(admin), payload });
    const firstTime = await patch({ firstTimeReviewer: true });
    expect(firstTime.json()).toMatchObject({ firstTimeReviewer: true, legalQualification: null });
    const pooled = await toPool(novice);
    expect(pooled.statusCode).toBe(409);
    expect(pooled.json().error.code).toBe('REVIEWER_UNQUALIFIED');

    const caseId = await submit(d.officer);
    const refused = await complete(d.legal, caseId, 'Task_accept', { complete: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('初次从事法制审核者已取得法律职业资格');

    const qualified = await patch({ legalQualification: { number: 'A20203209001234', date: '2020-12-25' } });
    expect(qualified.json()).toMatchObject({
      firstTimeReviewer: true,
      legalQualification: { number: 'A20203209001234', date: '2020-12-25' },
    });
    const listed = (await t.app.inject({ url: `/api/users?departmentId=${d.id}`, headers: t.as(admin) })).json();
    expect(listed.find((u: { id: string }) => u.id === novice.id).legalQualification.number).toBe('A20203209001234');

    expect((await complete(d.legal, caseId, 'Task_accept', { complete: true })).statusCode).toBe(200);
    const { c, records } = await assignment(d.legal, caseId);
    expect(c.reviewerId).toBe(novice.id);
    const assigned = records.items.find((r: { type: string }) => r.type === 'case.reviewer_assigned');
    expect(assigned.payload.basis).toContain('本机关法制审核人员');
    expect(assigned.payload.basis).toContain('持法律职业资格（证书编号 A20203209001234）');
  });

  it('refuses the opinion of a first-time reviewer whose qualification was withdrawn after assignment', async () => {
    const d = await agency('市城市管理局', '城市管理系统');
    const reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
    const caseId = await submit(d.officer);
    expect((await complete(d.legal, caseId, 'Task_accept', { complete: true })).statusCode).toBe(200);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${reviewer.id}`,
      headers: t.as(admin),
      payload: { firstTimeReviewer: true, legalQualification: null },
    });
    const signed = await complete(reviewer, caseId, 'Task_review', reviewForm('同意'));
    expect(signed.statusCode).toBe(409);
    expect(signed.json().error.code).toBe('REVIEWER_UNQUALIFIED');
  });
});
