import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import {
  caseOf,
  completeStep,
  coordinationHeld,
  documentText,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
} from './helpers/review.js';

/**
 * Issue 13 items 5 and 11: a department's internal units (承办机构, 法制审核机构), users in them, and documents
 * addressed to the handling unit, issued by the review unit and signed (SM2) by the user who issued them.
 */
let t: TestApp;
let admin: TestUser;
let officer: TestUser;
let reviewer: TestUser;
let legal: TestUser;
let chief: TestUser;
let departmentId: string;
let departmentName: string;
const units: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const home = await t.newDepartment();
  admin = await t.newUser({ departmentId: home.id, roles: ['admin'] });
  const d = await t.newDepartment({ name: '某市市场监督管理局' });
  departmentId = d.id;
  departmentName = '某市市场监督管理局';
  officer = await t.newUser({ departmentId, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId, roles: ['reviewer'], position: '法规科副科长' });
  legal = await t.newUser({ departmentId, roles: ['legal_admin'] });
  chief = await t.newUser({ departmentId, roles: ['chief'], position: '副局长' });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, user: TestUser, payload?: unknown) =>
  t.app.inject({ method, url, headers: t.as(user), ...(payload === undefined ? {} : { payload: payload as object }) });

describe('units of a department', () => {
  it('the admin adds units, names their head and puts users in them', async () => {
    const created = await api('POST', `/api/departments/${departmentId}/units`, admin, {
      name: '执法稽查局',
      kind: 'handling',
    });
    expect(created.statusCode).toBe(201);
    units.handling = created.json().id;
    const legalUnit = await api('POST', `/api/departments/${departmentId}/units`, admin, {
      name: '法规科',
      kind: 'legal_review',
      headUserId: reviewer.id,
    });
    expect(legalUnit.statusCode).toBe(201);
    units.legal = legalUnit.json().id;
    const duplicate = await api('POST', `/api/departments/${departmentId}/units`, admin, {
      name: '法规科',
      kind: 'other',
    });
    expect(duplicate.statusCode).toBe(409);
    for (const [user, unit] of [
      [officer, units.handling],
      [reviewer, units.legal],
      [legal, units.legal],
    ] as const) {
      const res = await api('PATCH', `/api/users/${user.id}`, admin, { unitId: unit });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().unitId).toBe(unit);
    }
    const listed = (await api('GET', `/api/departments/${departmentId}/units`, legal)).json();
    expect(
      listed.map((u: { name: string; kindLabel: string; members: number }) => [u.name, u.kindLabel, u.members]),
    ).toEqual([
      ['执法稽查局', '承办机构', 1],
      ['法规科', '法制审核机构', 2],
    ]);
    expect(listed[1].headName).toBeTruthy();
  });

  it('refuses a unit of another department and a non-admin changing units', async () => {
    const other = await t.newDepartment();
    const foreign = await api('POST', `/api/departments/${other.id}/units`, admin, {
      name: '稽查支队',
      kind: 'handling',
    });
    expect(foreign.statusCode).toBe(201);
    const wrong = await api('PATCH', `/api/users/${officer.id}`, admin, { unitId: foreign.json().id });
    expect(wrong.statusCode).toBe(400);
    expect(
      (await api('POST', `/api/departments/${departmentId}/units`, legal, { name: 'x', kind: 'other' })).statusCode,
    ).toBe(403);
    expect((await api('GET', `/api/departments/${other.id}/units`, legal)).statusCode).toBe(403);
  });
});

async function submit() {
  const res = await api('POST', '/api/cases', officer, { packet: packet(), facts: FACTS });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

const signatures = async (caseId: string) =>
  (await api('GET', `/api/cases/${caseId}/signatures`, officer)).json().items as {
    documentId: string;
    signerId: string;
    valid: boolean;
  }[];

describe('documents name the units and are signed by whoever issued them', () => {
  it('the correction notice is addressed to the handling unit and signed by the legal admin as 经办人, not 法制审核人', async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', {
      complete: false,
      missing: '抽样检验报告原件：仅有复印件，请提交原件',
    });
    const text = await documentText(t, officer, caseId, 'correction_notice');
    expect(text).toContain('执法稽查局：\n你单位第一次报送审核的');
    expect(text).not.toContain(`${departmentName}：`);
    expect(text).toContain('审查机构：法规科');
    expect(text).toMatch(/经办人：测试用户\d+（法制机构工作人员）/);
    expect(text).not.toContain('法制审核人：');
    const c = await caseOf(t, officer, caseId);
    const notice = c.documents.find((d: { kind: string }) => d.kind === 'correction_notice');
    expect(notice.signedBy).toBe(legal.id);
    const signed = await signatures(caseId);
    expect(signed).toContainEqual(expect.objectContaining({ documentId: notice.id, signerId: legal.id, valid: true }));
  }, 120_000);

  it('the opinion is addressed to 执法稽查局 and issued by 法规科; coordination and chief decision name both units, all signed', async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('不同意', '裁量明显不当。'));
    const opinion = await documentText(t, officer, caseId, 'review_opinion');
    expect(opinion).toContain('执法稽查局：\n你单位第一次报送审核的');
    expect(opinion).toContain('审核机构：法规科');
    expect(opinion).toMatch(/审核人：测试用户\d+（法规科副科长）/);
    expect(opinion).toContain(departmentName);
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '裁量符合基准。' });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...coordinationHeld(),
      handlingPosition: '拟按一倍罚款',
      reviewPosition: '应按最低幅度',
      outcome: '未达成一致（报请负责人决定）',
      coordinationNote: '双方未能达成一致，提请负责人决定。',
      participants: '张三 执法稽查局 局长\n李四 法规科 科长',
    });
    const record = await documentText(t, officer, caseId, 'coordination_record');
    expect(record).toContain('一、承办机构（执法稽查局）意见');
    expect(record).toContain('二、法制审核机构（法规科）意见');
    expect(record).toMatch(/记录机构：法规科\n记录人：测试用户\d+（法制机构工作人员）/);
    await completeStep(t, chief, caseId, 'Task_chief_decision', {
      decision: '同意作出决定',
      decisionReasons: '当事人违法情节较重，按承办机构意见处理。',
    });
    const decision = await documentText(t, officer, caseId, 'chief_decision');
    expect(decision).toContain('承办机构\n执法稽查局');
    expect(decision).toContain('法制审核机构\n法规科');
    expect(decision).toMatch(/负责人：测试用户\d+（副局长）/);

    const c = await caseOf(t, officer, caseId);
    const signers = Object.fromEntries(
      c.documents.map((d: { id: string; kind: string; signedBy: string | null }) => [d.id, d.signedBy]),
    );
    const byKind = (kind: string) => c.documents.filter((d: { kind: string }) => d.kind === kind);
    for (const d of [...byKind('review_opinion')]) expect(signers[d.id]).toBe(reviewer.id);
    expect(signers[byKind('coordination_record')[0].id]).toBe(legal.id);
    expect(signers[byKind('chief_decision')[0].id]).toBe(chief.id);
    const signed = await signatures(caseId);
    expect(signed).toHaveLength(c.documents.length);
    expect(signed.every((s) => s.valid)).toBe(true);

    const items = (await api('GET', `/api/cases/${caseId}/record`, officer)).json().items as {
      type: string;
      payload: Record<string, unknown>;
    }[];
    const payload = (type: string) => items.find((i) => i.type === type)?.payload;
    expect(payload('case.submitted')).toMatchObject({
      handlingUnit: '执法稽查局',
      by: { userId: officer.id, unit: '执法稽查局', position: '执法人员' },
    });
    expect(payload('case.reviewer_assigned')).toMatchObject({ by: { userId: reviewer.id, unit: '法规科' } });
    expect(payload('review.opinion_signed')).toMatchObject({
      by: { userId: reviewer.id, unit: '法规科', position: '法规科副科长' },
    });
    expect(payload('case.coordinated')).toMatchObject({ by: { userId: legal.id, unit: '法规科' } });
    expect(payload('case.chief_decided')).toMatchObject({ by: { userId: chief.id, position: '副局长' } });
    const issued = items.filter((i) => i.type === 'document.issued');
    expect(issued.length).toBe(c.documents.length);
    for (const i of issued) expect((i.payload.by as { name: string }).name).toMatch(/^测试用户/);
  }, 120_000);
});

describe("an agreed coordination is confirmed by both units' heads", () => {
  it("the review side by 法规科's head, not by the legal admin who records it", async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('不同意', '裁量明显不当。'));
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '裁量符合基准。' });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
    const outcome = 'agree_with_review';
    const handling = await api('POST', `/api/cases/${caseId}/coordination/confirmations`, officer, { outcome });
    expect(handling.statusCode, handling.body).toBe(201);
    expect(handling.json().side).toBe('handling');
    const form = {
      ...coordinationHeld(),
      handlingPosition: '拟按一倍罚款',
      reviewPosition: '应按最低幅度',
      outcome: '达成一致（承办机构采纳法制审核意见）',
      coordinationNote: '承办机构采纳法制审核意见。',
      participants: '张三 执法稽查局 局长\n李四 法规科 科长',
    };
    // 法规科's head is the reviewer: the legal admin alone cannot state that the review unit's head agreed.
    const task = await openTask(t, legal, caseId, 'Task_coordinate');
    const refused = await api('POST', `/api/tasks/${task.id}/complete`, legal, form);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('法制审核机构（法规科）负责人');
    const page = await pageSession(t, reviewer);
    expect((await page.get(`/cases/${caseId}`)).body).toContain('确认协调意见（法制审核机构负责人：法规科）');
    const review = await api('POST', `/api/cases/${caseId}/coordination/confirmations`, reviewer, { outcome });
    expect(review.statusCode, review.body).toBe(201);
    expect(review.json().side).toBe('review');
    await completeStep(t, legal, caseId, 'Task_coordinate', form);
    const record = await documentText(t, officer, caseId, 'coordination_record');
    const names = (await caseOf(t, officer, caseId)).coordination.confirmations.map(
      (x: { side: string; userId: string }) => [x.side, x.userId],
    );
    expect(names).toEqual([
      ['handling', officer.id],
      ['review', reviewer.id],
    ]);
    expect(record).toMatch(/法制审核机构负责人测试用户\d+已于/);
  }, 120_000);
});

describe('the admin pages', () => {
  it('lists a department’s units, adds and edits one, and puts a user in a unit from the user page', async () => {
    const d = await t.newDepartment();
    const someone = await t.newUser({ departmentId: d.id, roles: ['officer'] });
    const browser = await pageSession(t, admin);
    expect((await browser.get(`/admin/departments/${d.id}`)).body).toContain(`/admin/departments/${d.id}/units`);
    const empty = await browser.get(`/admin/departments/${d.id}/units`);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('尚未设置内设机构');
    const added = await browser.post(`/admin/departments/${d.id}/units`, { name: '稽查支队', kind: 'handling' });
    expect(added.statusCode).toBe(303);
    const refused = await browser.post(`/admin/departments/${d.id}/units`, { name: '稽查支队', kind: 'other' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('本机关已有内设机构“稽查支队”');
    const [unit] = (await api('GET', `/api/departments/${d.id}/units`, admin)).json();
    await browser.get(`/admin/departments/${d.id}/units`);
    const renamed = await browser.post(`/admin/departments/${d.id}/units/${unit.id}`, {
      name: '执法稽查支队',
      kind: 'handling',
      headUserId: someone.id,
    });
    expect(renamed.statusCode).toBe(303);
    const edit = await browser.get(`/admin/users/${someone.id}`);
    expect(edit.body).toContain('执法稽查支队（承办机构）');
    const saved = await browser.post(`/admin/users/${someone.id}`, {
      displayName: '赵六',
      roles: ['officer'],
      certNumber: 'TEST-1',
      certDomain: '测试',
      certFrom: '2024-01-01',
      certUntil: '2030-01-01',
      unitId: unit.id,
    });
    expect(saved.statusCode, saved.body.slice(0, 400)).toBe(303);
    const list = await browser.get(`/admin/departments/${d.id}/units`);
    expect(list.body).toContain('value="执法稽查支队"');
    expect(list.body).toMatch(/<dt>执法稽查支队<\/dt><dd>赵六<\/dd>/);
    expect((await api('GET', `/api/units/${unit.id}`, admin)).json()).toMatchObject({
      headUserId: someone.id,
      members: 1,
    });
  }, 120_000);
});

describe('the demo data', () => {
  it('puts every demo user in a unit: officers in the 承办机构, reviewers and the legal admin in the 法制审核机构', async () => {
    const { loadDemoData } = await import('../server/demo/load.js');
    expect(await loadDemoData(t.core, { onlyIfEmpty: false })).toEqual({ loaded: true });
    const rows = await t.db
      .selectFrom('users as u')
      .innerJoin('departments as d', 'd.id', 'u.department_id')
      .leftJoin('units as n', 'n.id', 'u.unit_id')
      .select(['u.username', 'd.code', 'n.name as unit', 'n.kind', 'n.department_id'])
      .where('d.code', 'in', ['SFJ', 'SCJG', 'STHJ'])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(13);
    for (const r of rows) expect(r.unit, r.username).toBeTruthy();
    const unitOf = Object.fromEntries(rows.map((r) => [r.username, `${r.unit}/${r.kind}`]));
    expect(unitOf).toMatchObject({
      officer1: '执法稽查局/handling',
      officer2: '执法稽查局/handling',
      reviewer1: '法规科/legal_review',
      reviewer2: '法规科/legal_review',
      legaladmin1: '法规科/legal_review',
      officer3: '生态环境执法支队/handling',
      reviewer3: '政策法规处/legal_review',
      legaladmin2: '政策法规处/legal_review',
    });
  }, 120_000);
});
