import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let dept: { id: string };
let small: { id: string };

/** `n` powers of one category as the CSV import reads them, codes P-<prefix>-001… */
const rows = (prefix: string, category: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `P-${prefix}-${String(i + 1).padStart(3, '0')},${category}事项第${i + 1}项,${category},《某某法》第${i + 1}条,`,
  );

async function importPowers(departmentId: string, lines: string[]) {
  const legal = await t.newUser({ departmentId, roles: ['legal_admin'] });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/departments/${departmentId}/powers/import?mode=replace`,
    headers: { ...t.as(legal), 'content-type': 'text/csv' },
    payload: ['编码,名称,类别,依据,实施主体', ...lines].join('\n'),
  });
  expect(res.statusCode).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  dept = await t.newDepartment({ name: '职权清单分页测试局' });
  small = await t.newDepartment({ name: '职权清单较短测试局' });
  await importPowers(dept.id, [...rows('CF', '行政处罚', 70), ...rows('XK', '行政许可', 50)]);
  await importPowers(small.id, rows('JC', '行政检查', 3));
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ url });

describe("an agency's powers on the portal", () => {
  it('summarises a long list by category on the agency page, linking to each category', async () => {
    const page = await get(`/public/agencies/${dept.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('共 120 项');
    expect(page.body).toContain(`/public/agencies/${dept.id}/powers?category=penalty`);
    expect(page.body).toMatch(/<td>行政处罚<\/td><td>70<\/td>/);
    expect(page.body).toMatch(/<td>行政许可<\/td><td>50<\/td>/);
    expect(page.body).not.toContain('行政处罚事项第1项');
  });

  it('lists a short list in full on the agency page', async () => {
    const page = await get(`/public/agencies/${small.id}`);
    expect(page.body).toContain('行政检查（3 项）');
    expect(page.body).toContain('行政检查事项第3项');
  });

  it('pages through a category fifty at a time', async () => {
    const first = await get(`/public/agencies/${dept.id}/powers?category=penalty`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.body).toContain('共 70 项，第 1 / 2 页');
    expect(first.body.match(/<td>P-CF-\d{3}<\/td>/g)).toHaveLength(50);
    expect(first.body).not.toContain('P-XK-');
    // Handlebars escapes "=" and "&" in the link; a browser reads them back.
    expect(first.body.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')).toContain('powers?category=penalty&page=2');
    const second = await get(`/public/agencies/${dept.id}/powers?category=penalty&page=2`);
    expect(second.body.match(/<td>P-CF-\d{3}<\/td>/g)).toHaveLength(20);
    expect(second.body).toContain('P-CF-070');
  });

  it('finds powers by code or name, and ignores parameters it does not understand', async () => {
    const byCode = await get(`/public/agencies/${dept.id}/powers?q=XK-04`);
    expect(byCode.body).toContain('共 10 项');
    const byName = await get(`/public/agencies/${dept.id}/powers?q=${encodeURIComponent('许可事项第7项')}`);
    expect(byName.body).toContain('共 1 项');
    expect(byName.body).toContain('P-XK-007');
    const odd = await get(`/public/agencies/${dept.id}/powers?category=nonsense&page=-3`);
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain('共 120 项，第 1 / 3 页');
  });

  it('answers 404 for an unknown agency', async () => {
    const res = await get('/public/agencies/00000000-0000-4000-8000-000000000000/powers');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
