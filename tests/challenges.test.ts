import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import { completeStep, FACTS, packet, reviewForm } from './helpers/review.js';

// 行政复议 and 行政诉讼 outcomes of a decision; a correcting one obliges the published decision's withdrawal within
// three working days (行政处罚法 arts. 48(2), 85).
const START = '2026-11-25T02:00:00Z'; // Wednesday
const clock = manualClock(START);
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;
let otherLegal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment({ name: '复议登记测试局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: (await t.newDepartment()).id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

/** A penalty through the review, decided on 2026-11-25 and published on the portal; returns case and disclosure. */
async function publishedPenalty(number: string, opts: { publish?: boolean } = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  const { caseId } = res.json();
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  await completeStep(t, officer, caseId, 'Task_record_decision', {
    decisionNumber: number,
    decisionDate: '2026-11-25',
    decisionContent: '没收不合格产品，并处罚款六万四千元。',
  });
  const listed = await t.app.inject({ url: '/api/disclosures?limit=200', headers: t.as(legal) });
  expect(listed.statusCode, listed.body).toBe(200);
  const list = listed.json();
  const d = list.items.find((x: { caseId: string }) => x.caseId === caseId);
  const full = (await t.app.inject({ url: `/api/disclosures/${d.id}`, headers: t.as(legal) })).json();
  if (opts.publish === false) return { caseId: caseId as string, disclosureId: d.id as string };
  const { partyCode: _code, ...redacted } = full.redacted;
  const ok = await t.app.inject({
    method: 'POST',
    url: `/api/disclosures/${d.id}/approve`,
    headers: t.as(legal),
    payload: { redacted },
  });
  expect(ok.statusCode, ok.body).toBe(200);
  return { caseId: caseId as string, disclosureId: d.id as string };
}

const record = (user: TestUser, caseId: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/challenges`, headers: t.as(user), payload: body });

const openList = async () =>
  (await t.app.inject({ url: '/api/disclosures?state=open&limit=200', headers: t.as(legal) })).json().items as {
    id: string;
    withdrawal: { dueAt: string; reason: string; overdue: boolean } | null;
  }[];

describe('a challenge outcome', () => {
  it('upheld: recorded in the case, nothing to withdraw', async () => {
    const { caseId, disclosureId } = await publishedPenalty('复测罚〔2026〕1号');
    clock.set(new Date('2026-12-04T02:00:00Z'));
    const res = await record(legal, caseId, {
      kind: 'reconsideration',
      organ: '市人民政府',
      outcome: 'upheld',
      decidedOn: '2026-12-03',
      documentNumber: '市政复决字〔2026〕12号',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ correcting: false, withdrawBy: null, disclosure: 'none' });
    expect((await openList()).map((d) => d.id)).not.toContain(disclosureId);
    const list = (await t.app.inject({ url: `/api/cases/${caseId}/challenges`, headers: t.as(legal) })).json();
    expect(list.items).toMatchObject([{ outcome: 'upheld', decidedOn: '2026-12-03', organ: '市人民政府' }]);
  });

  it('revoked: the published decision must be withdrawn within three working days, overdue after', async () => {
    const { caseId, disclosureId } = await publishedPenalty('复测罚〔2026〕2号');
    clock.set(new Date('2026-12-07T02:00:00Z'));
    // Effective Friday 2026-12-04: three working days are Monday to Wednesday 2026-12-09.
    const res = await record(legal, caseId, {
      kind: 'litigation',
      organ: '盐城市亭湖区人民法院',
      outcome: 'revoked',
      decidedOn: '2026-12-04',
      documentNumber: '（2026）苏0902行初88号',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      correcting: true,
      disclosure: 'published',
      withdrawBy: '2026-12-09T15:59:59.000Z',
    });
    const due = (await openList()).find((d) => d.id === disclosureId);
    expect(due?.withdrawal).toEqual({
      dueAt: '2026-12-09T15:59:59.000Z',
      reason: '盐城市亭湖区人民法院行政诉讼撤销（（2026）苏0902行初88号）',
      overdue: false,
    });
    const page = await t.app.inject({ url: '/publicity', headers: { cookie: `fashen_session=${legal.token}` } });
    expect(page.body).toContain('须于 2026年12月9日 23:59 前撤回');
    clock.set(new Date('2026-12-10T01:00:00Z'));
    expect((await openList()).find((d) => d.id === disclosureId)?.withdrawal?.overdue).toBe(true);
    // Withdrawn: the obligation is met.
    const w = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${disclosureId}/withdraw`,
      headers: t.as(legal),
      payload: { ground: 'revoked', reason: '经行政诉讼被撤销' },
    });
    expect(w.statusCode).toBe(200);
    expect((await openList()).map((d) => d.id)).not.toContain(disclosureId);
    const events = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(legal) })).json();
    const types = (events.items ?? events).map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['case.challenge_decided', 'disclosure.withdrawal_required', 'disclosure.withdrawn']),
    );
  });

  it('refuses a date before the decision or in the future, another agency, and an undecided case', async () => {
    const { caseId } = await publishedPenalty('复测罚〔2026〕3号');
    const base = { kind: 'reconsideration', organ: '市人民政府', outcome: 'changed', documentNumber: '复〔2026〕1号' };
    expect((await record(legal, caseId, { ...base, decidedOn: '2026-11-24' })).statusCode).toBe(422);
    expect((await record(legal, caseId, { ...base, decidedOn: '2026-11-26' })).statusCode).toBe(422);
    expect((await record(otherLegal, caseId, { ...base, decidedOn: '2026-11-25' })).statusCode).toBe(404);
    expect((await record(legal, caseId, { ...base, outcome: 'annulled', decidedOn: '2026-11-25' })).statusCode).toBe(
      400,
    );
    const open = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet(), facts: FACTS },
    });
    expect((await record(legal, open.json().caseId, { ...base, decidedOn: '2026-11-25' })).statusCode).toBe(409);
  });

  it('is recorded on the case page by the legal unit, refused there with the reason', async () => {
    const { caseId } = await publishedPenalty('复测罚〔2026〕4号');
    const page = await pageSession(t, legal);
    const before = await page.get(`/cases/${caseId}`);
    expect(before.body).toContain('尚未登记行政复议或行政诉讼结果');
    const form = {
      kind: 'reconsideration',
      organ: '市人民政府',
      outcome: 'confirmed_unlawful',
      documentNumber: '市政复决字〔2026〕30号',
    };
    const early = await page.post(`/cases/${caseId}/challenges`, { ...form, decidedOn: '2026-11-01' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('生效日期不能早于执法决定日期');
    const ok = await page.post(`/cases/${caseId}/challenges`, { ...form, decidedOn: '2026-11-25' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toContain('flash=challenge_withdraw');
    const after = await page.get(ok.headers.location as string);
    expect(after.body).toContain('确认违法');
    expect(after.body).toContain('三个工作日内撤回');
    // The officer sees no such form.
    expect((await (await pageSession(t, officer)).get(`/cases/${caseId}`)).body).not.toContain('登记结果');
  });

  it('before the decision was published: the page says it will not be published, not that it must come down', async () => {
    const { caseId, disclosureId } = await publishedPenalty('复测罚〔2026〕5号', { publish: false });
    const page = await pageSession(t, legal);
    const ok = await page.post(`/cases/${caseId}/challenges`, {
      kind: 'reconsideration',
      organ: '市人民政府',
      outcome: 'revoked',
      documentNumber: '市政复决字〔2026〕31号',
      decidedOn: '2026-11-25',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toContain('flash=challenge_unpublished');
    const after = await page.get(ok.headers.location as string);
    expect(after.body).toContain('原决定不予公开');
    expect(after.body).not.toContain('三个工作日内撤回');
    const cancelled = await t.app.inject({ url: '/api/disclosures?state=cancelled&limit=200', headers: t.as(legal) });
    expect(cancelled.json().items.map((x: { id: string }) => x.id)).toContain(disclosureId);
  });
});
