import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { importLaws } from './helpers/laws.js';
import { openPage } from './helpers/pages.js';
import { FACTS, packet } from './helpers/review.js';

// Two laws are enough: 产品质量法 (one version) is repealed as a whole, 农产品质量安全法 (2018 and 2022) in one version.
const SUBSET = ['中华人民共和国产品质量法', '中华人民共和国农产品质量安全法'];
const QUALITY = '《中华人民共和国产品质量法》第四十九条';
const FARM = '《中华人民共和国农产品质量安全法》第一条';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment();
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  await importLaws(t, /产品质量法|农产品质量安全法/, { titles: SUBSET });
  for (const l of await t.db.selectFrom('law_laws').select(['id', 'short_title']).execute()) ids[l.short_title] = l.id;
});
afterAll(() => t.close());

const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as(user), ...(payload ? { payload } : {}) });

async function check(citation: string, date: string) {
  const res = await api(officer, 'POST', '/api/citations/check', { citations: [citation], date });
  expect(res.statusCode).toBe(200);
  return res.json().results[0] as { status: string; reason?: string; repealedOn?: string };
}

const repeal = (user: TestUser, law: string, body: object) => api(user, 'PUT', `/api/laws/${ids[law]}/repeal`, body);

describe('marking a law repealed (废止)', () => {
  it('is for legal admins and admins, with a date not before the text and a note', async () => {
    expect((await repeal(officer, '产品质量法', { repealedOn: '2025-01-01', note: '废止' })).statusCode).toBe(403);
    const early = await repeal(legal, '产品质量法', { repealedOn: '1980-01-01', note: '废止' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details.field).toBe('repealedOn');
    expect((await repeal(legal, '产品质量法', { repealedOn: '2025-01-01', note: '   ' })).statusCode).toBe(400);
    expect((await repeal(legal, '产品质量法', { repealedOn: '2025-02-30', note: '废止' })).statusCode).toBe(400);
    const otherVersion = (await api(legal, 'GET', `/api/laws/${ids.农产品质量安全法}`)).json().versions[0].id;
    const wrong = await repeal(legal, '产品质量法', {
      repealedOn: '2025-01-01',
      note: '废止',
      versionId: otherVersion,
    });
    expect(wrong.statusCode).toBe(404);
  });

  it('makes citations on and after the day not in force, and says so', async () => {
    expect((await check(QUALITY, '2025-01-01')).status).toBe('ok');
    const res = await repeal(legal, '产品质量法', { repealedOn: '2025-01-01', note: '被新法取代（测试）' });
    expect(res.statusCode).toBe(200);
    expect(await check(QUALITY, '2024-12-31')).toMatchObject({ status: 'ok' });
    expect(await check(QUALITY, '2025-01-01')).toMatchObject({
      status: 'not_in_force',
      reason: 'repealed',
      repealedOn: '2025-01-01',
    });
    // Before its first version took effect a law is not in force either, for the other reason.
    expect(await check(QUALITY, '1990-01-01')).toMatchObject({ status: 'not_in_force', reason: 'not_yet_effective' });
    const law = (await api(officer, 'GET', `/api/laws/${ids.产品质量法}`)).json();
    expect(law).toMatchObject({ repealedOn: '2025-01-01', repealNote: '被新法取代（测试）' });
  });

  it('shows 已废止 in the basis check of a case citing the law for conduct after the day', async () => {
    // The catalogue comes with the review flow; this case lies below it and needs no review.
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
    const p = packet({
      category: 'coercion',
      proposedDecision: '查封当事人经营场所。',
      legalBasis: [{ law: '中华人民共和国产品质量法', article: '第四十九条' }],
      conductDate: '2025-06-01',
    });
    const res = await api(officer, 'POST', '/api/cases', {
      packet: p,
      facts: { ...FACTS, amount: 2000, measure: 'seal' },
    });
    expect(res.statusCode).toBe(201);
    const { page } = await openPage(t, officer, `/cases/${res.json().caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已废止（自2025-01-01起不再施行）');
  });

  it('repeals one version only, leaving the later version in force', async () => {
    const law = (await api(legal, 'GET', `/api/laws/${ids.农产品质量安全法}`)).json();
    const first = law.versions.find((v: { versionDate: string }) => v.versionDate === '2018-10-26');
    const res = await repeal(legal, '农产品质量安全法', {
      repealedOn: '2020-01-01',
      note: '该版本失效（测试）',
      versionId: first.id,
    });
    expect(res.statusCode).toBe(200);
    expect((await check(FARM, '2019-06-01')).status).toBe('ok');
    expect(await check(FARM, '2020-06-01')).toMatchObject({ status: 'not_in_force', reason: 'repealed' });
    expect((await check(FARM, '2024-01-01')).status).toBe('ok');
    const article = await api(officer, 'GET', `/api/laws/${ids.农产品质量安全法}/articles/1?date=2020-06-01`);
    expect(article.statusCode).toBe(404);
  });

  it('removes a mark through the law page, keeping both changes in the history', async () => {
    const url = `/legal/laws/${ids.产品质量法}`;
    const form = await openPage(t, legal, url);
    expect(form.page.statusCode).toBe(200);
    expect(form.page.body).toContain('已废止（自2025-01-01起不再施行）');
    const post = await t.app.inject({
      method: 'POST',
      url: `${url}/repeal`,
      cookies: form.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({
        _csrf: form.token,
        action: 'clear',
        versionId: '',
        note: '误标（测试）',
      }).toString(),
    });
    expect(post.statusCode).toBe(303);
    expect((await check(QUALITY, '2025-06-01')).status).toBe('ok');
    const law = (await api(officer, 'GET', `/api/laws/${ids.产品质量法}`)).json();
    expect(law.repealedOn).toBeNull();
    expect(law.repeals.map((r: { repealedOn: string | null; note: string }) => [r.repealedOn, r.note])).toEqual([
      ['2025-01-01', '被新法取代（测试）'],
      [null, '误标（测试）'],
    ]);
    const page = await openPage(t, legal, url);
    expect(page.page.body).toContain('误标（测试）');
    expect((await openPage(t, officer, url)).page.statusCode).toBe(403);
  });
});
