import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { FACTS, packet } from './helpers/review.js';

let t: TestApp;
let narrow: { id: string };
let scjg: { id: string };
let officer: TestUser;
let scjgOfficer: TestUser;
let scjgLegal: TestUser;
let supervisor: TestUser;

const CATEGORIES = ['licensing', 'penalty', 'coercion', 'levy'] as const;
const SITUATIONS = [
  { code: 'DX-01', fact: 'publicInterest', name: '全市法制审核底线目录：涉及重大公共利益' },
  { code: 'DX-02', fact: 'socialImpact', name: '全市法制审核底线目录：可能造成重大社会影响或引发社会风险' },
  { code: 'DX-03', fact: 'thirdPartyAffected', name: '全市法制审核底线目录：直接关系当事人或第三人重大权益' },
  { code: 'DX-04', fact: 'hearingHeld', name: '全市法制审核底线目录：经过听证程序作出决定' },
  { code: 'DX-05', fact: 'complex', name: '全市法制审核底线目录：案件情况疑难复杂、涉及多个法律关系' },
] as const;

/** Facts with no floor situation: a small fine nobody's catalogue counts as major. */
const quiet = (category: string, overrides: Record<string, unknown> = {}) => ({
  category,
  partyType: 'person',
  amount: 100,
  measure: 'warning',
  hearingHeld: false,
  thirdPartyAffected: false,
  complex: false,
  publicInterest: false,
  socialImpact: false,
  ...overrides,
});

/** A catalogue of one item that none of the floor's situations touches. */
const NARROW = `<fashen:catalogue>
  <fashen:catalogueItem code="N-01" category="penalty" name="处以一百万元以上罚款" condition="amount &gt;= 1000000" reviewWorkingDays="5">
    <fashen:material name="行政处罚决定书（代拟稿）" required="true" />
  </fashen:catalogueItem>
</fashen:catalogue>`;

function evaluate(departmentId: string, user: TestUser, facts: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/departments/${departmentId}/catalogue/evaluate`,
    headers: t.as(user),
    payload: facts,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  narrow = await t.newDepartment({ name: '市窄目录执法局' });
  officer = await t.newUser({ departmentId: narrow.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: narrow.id, roles: ['legal_admin'] });
  const xml = (await workflowFile('legal-review.bpmn')).replace(
    /<fashen:catalogue>[\s\S]*?<\/fashen:catalogue>/,
    NARROW,
  );
  await deploy(t, legal, xml);

  scjg = await t.newDepartment({ name: '市市场监督管理局' });
  scjgOfficer = await t.newUser({ departmentId: scjg.id, roles: ['officer'] });
  scjgLegal = await t.newUser({ departmentId: scjg.id, roles: ['legal_admin'] });
  await t.newUser({ departmentId: scjg.id, roles: ['reviewer'] });
  await deploy(t, scjgLegal, await workflowFile('legal-review-scjg.bpmn'));

  const bureau = await t.newDepartment({ name: '市司法局' });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
}, 180_000);
afterAll(() => t.close());

describe('the city-wide floor catalogue (全市法制审核底线目录)', () => {
  for (const s of SITUATIONS) {
    for (const category of CATEGORIES) {
      it(`makes a ${category} case ${s.fact} mandatory under ${s.code} in a department whose catalogue lacks it`, async () => {
        const without = await evaluate(narrow.id, officer, quiet(category));
        expect(without.json().mandatory).toBe(false);
        const res = await evaluate(narrow.id, officer, quiet(category, { [s.fact]: true }));
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.mandatory).toBe(true);
        expect(body.matched).toMatchObject({ code: s.code, category, name: s.name });
        expect(body.reason).toContain(s.name);
      });
    }
  }

  it('answers the demo 市场监管局 cases that missed its catalogue with the floor item, on the case', async () => {
    const submit = (category: string, facts: Record<string, unknown>, hearingHeld = false) =>
      t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: t.as(scjgOfficer),
        payload: {
          packet: packet({ category, hearingHeld, proposedDecision: '依法作出决定。' }),
          facts: { ...FACTS, amount: 0, measure: 'other', ...facts },
        },
      });
    const penalty = await submit('penalty', { publicInterest: true });
    const licence = await submit('licensing', {}, true);
    const coercion = await submit('coercion', { complex: true });
    expect([penalty, licence, coercion].map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(penalty.json()).toMatchObject({
      reviewRequired: true,
      catalogueItem: { code: 'DX-01', name: '全市法制审核底线目录：涉及重大公共利益' },
      reason: '本案属于重大执法决定：行政处罚 — 全市法制审核底线目录：涉及重大公共利益（DX-01）',
    });
    expect(licence.json()).toMatchObject({
      reviewRequired: true,
      catalogueItem: { code: 'DX-04', category: 'licensing' },
    });
    expect(coercion.json()).toMatchObject({
      reviewRequired: true,
      catalogueItem: { code: 'DX-05', category: 'coercion' },
    });
    const detail = (
      await t.app.inject({ url: `/api/cases/${penalty.json().caseId}`, headers: t.as(scjgOfficer) })
    ).json();
    expect(detail.catalogueReason).toContain('全市法制审核底线目录：涉及重大公共利益');
  });

  it('is kept by the justice bureau: longer time applies to every department, the statutory situations stay', async () => {
    const patch = (user: TestUser, code: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/review-floor/${code}`, headers: t.as(user), payload });
    expect((await patch(officer, 'DX-01', { reviewWorkingDays: 9 })).statusCode).toBe(403);
    const longer = await patch(supervisor, 'DX-01', { reviewWorkingDays: 9 });
    expect(longer.statusCode).toBe(200);
    const res = await evaluate(narrow.id, officer, quiet('levy', { publicInterest: true }));
    expect(res.json().matched).toMatchObject({ code: 'DX-01', reviewWorkingDays: 9 });

    const narrowing = await patch(supervisor, 'DX-01', { categories: ['penalty'] });
    expect(narrowing.statusCode).toBe(409);
    expect(narrowing.json().error).toMatchObject({
      code: 'FLOOR_STATUTORY',
      message: expect.stringContaining('法定情形'),
    });
    expect((await patch(supervisor, 'DX-02', { condition: 'false' })).statusCode).toBe(409);
    const del = await t.app.inject({ method: 'DELETE', url: '/api/review-floor/DX-03', headers: t.as(supervisor) });
    expect(del.statusCode).toBe(409);
    const floor = (await t.app.inject({ url: '/api/review-floor' })).json();
    expect(floor.items.map((i: { code: string }) => i.code)).toEqual(['DX-01', 'DX-02', 'DX-03', 'DX-04', 'DX-05']);
  });

  it('takes a situation the justice bureau adds, checked as FEEL over the case facts, and lets it go again', async () => {
    const add = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/review-floor', headers: t.as(supervisor), payload });
    const base = { code: 'DX-10', situation: '涉案金额五十万元以上', categories: ['penalty'], reviewWorkingDays: 10 };
    const bad = await add({ ...base, condition: 'turnover > 1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('turnover');
    expect((await add({ ...base, condition: 'amount >= 500000' })).statusCode).toBe(201);
    expect((await add({ ...base, condition: 'amount >= 500000' })).json().error.code).toBe('FLOOR_CODE_TAKEN');
    const hit = await evaluate(narrow.id, officer, quiet('penalty', { amount: 600_000 }));
    expect(hit.json().matched).toMatchObject({ code: 'DX-10', name: '全市法制审核底线目录：涉案金额五十万元以上' });
    expect((await evaluate(narrow.id, officer, quiet('levy', { amount: 600_000 }))).json().mandatory).toBe(false);
    const del = await t.app.inject({ method: 'DELETE', url: '/api/review-floor/DX-10', headers: t.as(supervisor) });
    expect(del.statusCode).toBe(204);
    expect((await evaluate(narrow.id, officer, quiet('penalty', { amount: 600_000 }))).json().mandatory).toBe(false);
  });

  it('flags to the supervisor a department whose catalogue covers none of a category it holds powers in', async () => {
    for (const [code, category] of [
      ['XK-1', 'licensing'],
      ['CF-1', 'penalty'],
      ['ZS-1', 'requisition'],
      ['JC-1', 'inspection'],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/departments/${scjg.id}/powers`,
        headers: t.as(scjgLegal),
        payload: { code, name: `职权${code}`, category, legalBasis: '《某法》第一条' },
      });
      expect(res.statusCode).toBe(201);
    }
    const gaps = await t.app.inject({ url: '/api/review-floor/gaps', headers: t.as(supervisor) });
    expect(gaps.statusCode).toBe(200);
    const mine = gaps.json().items.find((g: { departmentId: string }) => g.departmentId === scjg.id);
    expect(mine).toMatchObject({
      deployed: true,
      missing: [
        { category: 'licensing', label: '行政许可' },
        { category: 'levy', label: '行政征收征用' },
      ],
    });
    // A department without powers in a category is not flagged for it (the narrow one lists no powers).
    expect(gaps.json().items.some((g: { departmentId: string }) => g.departmentId === narrow.id)).toBe(false);
    expect((await t.app.inject({ url: '/api/review-floor/gaps', headers: t.as(officer) })).statusCode).toBe(403);
  });
});
