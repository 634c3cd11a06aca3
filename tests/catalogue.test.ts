import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, fixture } from './helpers/flows.js';

let t: TestApp;
let dept: { id: string; code: string };
let legalAdmin: TestUser;
let officer: TestUser;
let catalogueXml: string;

const facts = (overrides: Record<string, unknown> = {}) => ({
  category: 'penalty',
  partyType: 'organization',
  amount: 80_000,
  measure: 'fine',
  hearingHeld: false,
  thirdPartyAffected: false,
  complex: false,
  publicInterest: false,
  socialImpact: false,
  ...overrides,
});

function getCatalogue(departmentId: string) {
  return t.app.inject({ method: 'GET', url: `/api/departments/${departmentId}/catalogue` });
}

function evaluate(departmentId: string, user: TestUser | null, payload: unknown) {
  return t.app.inject({
    method: 'POST',
    url: `/api/departments/${departmentId}/catalogue/evaluate`,
    headers: user ? t.as(user) : {},
    payload: payload as Record<string, unknown>,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  dept = await t.newDepartment({ name: '市场监督管理局' });
  legalAdmin = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  catalogueXml = await fixture('catalogue-valid.bpmn');
  await deploy(t, legalAdmin, catalogueXml);
});
afterAll(() => t.close());

describe('GET /api/departments/:id/catalogue', () => {
  it('shows the catalogue of the latest legal review process to anyone, without logging in', async () => {
    const res = await getCatalogue(dept.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      departmentId: dept.id,
      departmentName: '市场监督管理局',
      processKey: 'legal_review',
      version: 1,
      deployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(body.items.map((i: { code: string }) => i.code)).toEqual(['CF-01', 'CF-02', 'QZ-01', 'QT-01']);
    expect(body.items[0]).toEqual({
      code: 'CF-01',
      category: 'penalty',
      categoryLabel: '行政处罚',
      name: '对法人或者其他组织处以五万元以上罚款',
      condition: 'category = "penalty" and partyType = "organization" and amount >= 50000',
      basis: '《行政处罚法》第五十八条',
      reviewWorkingDays: 5,
      materials: [
        { name: '行政处罚决定书（代拟稿）', required: true },
        { name: '听证笔录', required: false },
      ],
    });
  });

  it('reads the compiled definition from the cache instead of parsing the XML again', async () => {
    await getCatalogue(dept.id);
    expect(t.app.runtime.cache).toBe(t.core.definitionCache);
    const size = t.core.definitionCache.size;
    await getCatalogue(dept.id);
    expect(t.core.definitionCache.size).toBe(size);
  });

  it('follows a newly deployed version of the process', async () => {
    const other = await t.newDepartment();
    const admin = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
    await deploy(t, admin, catalogueXml);
    await deploy(t, admin, catalogueXml.replace('name="吊销许可证件"', 'name="吊销许可证、执照"'));
    const body = (await getCatalogue(other.id)).json();
    expect(body.version).toBe(2);
    expect(body.items[1].name).toBe('吊销许可证、执照');
  });

  it('answers 404 in Chinese when the department has no legal review process', async () => {
    const empty = await t.newDepartment({ name: '交通运输局' });
    const res = await getCatalogue(empty.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      code: 'DEFINITION_NOT_FOUND',
      message: '交通运输局尚未部署重大执法决定法制审核流程（legal_review），没有目录清单',
    });
  });

  it('answers 404 for a department that does not exist, 400 for an id that is not one', async () => {
    const missing = await getCatalogue(randomUUID());
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    expect((await getCatalogue('not-a-uuid')).statusCode).toBe(400);
  });
});

describe('POST /api/departments/:id/catalogue/evaluate', () => {
  it('finds a fine of 80 000 yuan on a company mandatory, under CF-01', async () => {
    const res = await evaluate(dept.id, officer, facts());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      mandatory: true,
      matched: { code: 'CF-01', reviewWorkingDays: 5 },
      matches: [{ code: 'CF-01' }],
      reason: '本案属于重大执法决定：行政处罚 — 对法人或者其他组织处以五万元以上罚款（CF-01）',
      version: 1,
    });
  });

  it('governs by the item with the longest review time when several match', async () => {
    const res = await evaluate(dept.id, officer, facts({ measure: 'licence_revocation', complex: true }));
    const body = res.json();
    // The city-wide floor's 疑难复杂 item (DX-05) matches too, after the department's own items.
    expect(body.matches.map((i: { code: string }) => i.code)).toEqual(['CF-01', 'CF-02', 'QT-01', 'DX-05']);
    expect(body.matched.code).toBe('CF-02');
  });

  it('offers voluntary review when no item matches', async () => {
    const res = await evaluate(dept.id, officer, facts({ partyType: 'person', amount: 2_000 }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      mandatory: false,
      matched: null,
      matches: [],
      reason: '未命中目录清单，可自愿申请法制审核',
      version: 1,
    });
  });

  it('refuses incomplete or unknown facts with 400', async () => {
    const { amount: _, ...withoutAmount } = facts();
    expect((await evaluate(dept.id, officer, withoutAmount)).json().error.code).toBe('VALIDATION_FAILED');
    expect((await evaluate(dept.id, officer, facts({ turnover: 1 }))).statusCode).toBe(400);
    expect((await evaluate(dept.id, officer, facts({ category: 'fine' }))).statusCode).toBe(400);
  });

  it('requires a login', async () => {
    const res = await evaluate(dept.id, null, facts());
    expect(res.statusCode).toBe(401);
  });
});

describe('deploying a catalogue', () => {
  it('refuses a condition over an unknown fact, naming the item', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...t.as(legalAdmin), 'content-type': 'application/xml' },
      payload: await fixture('catalogue-invalid-unknown-fact.bpmn'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'BPMN_INVALID',
      message: expect.stringContaining('目录清单事项“CF-01”的条件引用了未知的案件事实 turnover'),
      details: { elementId: 'legal_review', elementType: 'process' },
    });
  });
});
