import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLibrary, readLibrary } from '../server/laws/library.js';
import { importVersions } from '../server/laws/queries.js';
import { createSegmenter } from '../server/laws/segment.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;
const SUBSET = ['中华人民共和国产品质量法', '中华人民共和国行政处罚法', '中华人民共和国农产品质量安全法'];

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment();
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  const { versions } = parseLibrary(await readLibrary());
  const subset = versions.filter((v) => SUBSET.includes(v.title));
  const seg = createSegmenter();
  const first = await importVersions(t.db, seg, subset);
  expect(first).toMatchObject({ laws: 3, versions: 4, skipped: 0 });
  // Idempotent: a second run loads nothing.
  expect(await importVersions(t.db, seg, subset)).toMatchObject({ laws: 0, versions: 0, skipped: 4 });
});
afterAll(() => t.close());

const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as(user), payload });

async function lawId(title: string) {
  const res = await api(officer, 'GET', `/api/laws?q=${encodeURIComponent(title)}`);
  return (res.json().items as { id: string; title: string }[]).find((l) => l.title === title)!.id;
}

describe('law library', () => {
  it('finds laws by title and by segmented full text, ranked', async () => {
    const res = await api(officer, 'GET', `/api/laws?q=${encodeURIComponent('产品质量')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].title).toBe('中华人民共和国产品质量法');
    const full = await api(officer, 'GET', `/api/laws?q=${encodeURIComponent('货值金额 没收')}`);
    expect(full.json().items.map((l: { title: string }) => l.title)).toContain('中华人民共和国产品质量法');
    expect((await api(officer, 'GET', '/api/laws?q=%E2%80%94')).json()).toEqual({ total: 0, items: [] });
    expect((await t.app.inject({ method: 'GET', url: '/api/laws?q=x' })).statusCode).toBe(401);
  });

  it('shows the version in force on a date and its articles with 款 and 项', async () => {
    const id = await lawId('中华人民共和国农产品质量安全法');
    const law = (await api(officer, 'GET', `/api/laws/${id}`)).json();
    expect(law.versions.map((v: { versionDate: string }) => v.versionDate)).toEqual(['2018-10-26', '2022-09-02']);
    const old = (await api(officer, 'GET', `/api/laws/${id}/articles/1?date=2020-01-01`)).json();
    const now = (await api(officer, 'GET', `/api/laws/${id}/articles/1?date=2024-01-01`)).json();
    expect(old.version.versionDate).toBe('2018-10-26');
    expect(now.version.versionDate).toBe('2022-09-02');
    const res = await api(officer, 'GET', `/api/laws/${id}/articles/1?date=1990-01-01`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('lets a legal admin correct an article and keeps the replaced text; an officer may not', async () => {
    const id = await lawId('中华人民共和国产品质量法');
    const before = (await api(officer, 'GET', `/api/laws/${id}/articles/49?date=2024-01-01`)).json();
    const body = { paragraphs: [{ text: '更正后的条文。', items: [] }], note: '校对原文' };
    expect((await api(officer, 'PUT', `/api/law-articles/${before.id}`, body)).statusCode).toBe(403);
    const fixed = await api(legal, 'PUT', `/api/law-articles/${before.id}`, body);
    expect(fixed.json()).toMatchObject({ revision: 2, text: '更正后的条文。' });
    const after = (await api(officer, 'GET', `/api/laws/${id}/articles/49?date=2024-01-01`)).json();
    expect(after.text).toBe('更正后的条文。');
    expect(after.history).toMatchObject([{ revision: 1, text: before.text, note: '校对原文' }]);
    await api(legal, 'PUT', `/api/law-articles/${before.id}`, { ...body, paragraphs: before.paragraphs });
  });

  it('accepts an uploaded version in the library format and refuses a second upload of it', async () => {
    const markdown =
      '# 测试管理条例\n\n2025年1月1日 国务院令通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了测试，制定本条例。\n\n第二条 本条例自2025年3月1日起施行。\n';
    const res = await api(legal, 'POST', '/api/laws/versions', { markdown, category: '行政法规' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ title: '测试管理条例', versionDate: '2025-01-01', articles: 2 });
    expect((await api(legal, 'POST', '/api/laws/versions', { markdown, category: '行政法规' })).statusCode).toBe(409);
    const bad = await api(legal, 'POST', '/api/laws/versions', { markdown: '没有标题', category: '行政法规' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('citation check', () => {
  it('answers each status in the order of the inputs', async () => {
    const res = await api(officer, 'POST', '/api/citations/check', {
      date: '2024-06-01',
      citations: [
        '《中华人民共和国产品质量法》第四十九条',
        '《产品质量法》第49条第一款',
        '《行政处罚法》第十条至第十一条',
        '《不存在的法》第一条',
        '《产品质量法》第九百条',
        '产品质量法第四十九条',
      ],
    });
    expect(res.statusCode).toBe(200);
    const r = res.json().results as { status: string; law: string; article: number; version: string }[];
    expect(r.map((x) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'unknown_law', 'unknown_article', 'invalid']);
    expect(r[0]).toMatchObject({ law: '中华人民共和国产品质量法', article: 49, version: '2018-12-29' });
    expect(r.slice(2, 4).map((x) => x.article)).toEqual([10, 11]);
    const early = await api(officer, 'POST', '/api/citations/check', {
      date: '2021-03-01',
      citations: ['《行政处罚法》第十条'],
    });
    expect(early.json().results[0].status).toBe('not_in_force');
    const bad = await api(officer, 'POST', '/api/citations/check', { date: '2024-13', citations: [] });
    expect(bad.statusCode).toBe(400);
  });
});
