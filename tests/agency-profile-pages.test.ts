import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoProfile } from '../server/agency-profile/demo.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { html, openPage } from './helpers/pages.js';

let t: TestApp;
let dept: { id: string; code: string };
let legal: TestUser;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  dept = await t.newDepartment({ name: '事前公开页面测试局' });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
});
afterAll(() => t.close());

async function submitForm(from: string, action: string, fields: Record<string, string>) {
  const { cookies, token } = await openPage(t, legal, from);
  return t.app.inject({
    method: 'POST',
    url: action,
    cookies,
    headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
}

/** The import form as a browser sends it: multipart with the file. */
async function uploadCsv(csv: string, mode = 'merge') {
  const { cookies, token } = await openPage(t, legal, '/publicity/profile/powers/import');
  const form = new FormData();
  form.set('_csrf', token);
  form.set('mode', mode);
  form.set('file', new Blob([csv], { type: 'text/csv' }), '职权事项.csv');
  const encoded = new Response(form);
  return t.app.inject({
    method: 'POST',
    url: '/publicity/profile/powers/import',
    cookies,
    headers: { ...html, 'content-type': encoded.headers.get('content-type') ?? '' },
    payload: Buffer.from(await encoded.arrayBuffer()),
  });
}

const ITEM = {
  name: '计量器具使用情况检查',
  objects: '集贸市场经营者',
  method: '现场检查',
  basis: '《中华人民共和国计量法》第十八条',
  ratio: '每年不低于5%',
};

describe('the legal unit maintains the disclosures in the workbench', () => {
  it('adds an inspection item through the form; a bad form comes back with its errors', async () => {
    const base = '/publicity/profile/inspection-items';
    const bad = await submitForm(`${base}/new`, base, { ...ITEM, name: ' ', sortOrder: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请填写抽查事项');
    expect(bad.body).toContain('排序号应为 0 到 999999 之间的整数');
    expect(bad.body).toContain(`>${ITEM.objects}</textarea>`);
    expect(bad.body).toContain(`value="${ITEM.method}"`);
    const good = await submitForm(`${base}/new`, base, ITEM);
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`${base}?saved=created`);
    const list = await openPage(t, legal, good.headers.location as string);
    expect(list.page.body).toContain('已新增抽查事项。');
    expect(list.page.body).toContain(ITEM.name);
  });

  it('deletes an item only from its confirmation page', async () => {
    const base = '/publicity/profile/inspection-items';
    const rows = await t.db.selectFrom('agency_inspection_items').select('id').where('name', '=', ITEM.name).execute();
    const confirm = await openPage(t, legal, `${base}/${rows[0].id}/delete`);
    expect(confirm.page.body).toContain(`确定删除“${ITEM.name}”吗？`);
    expect(confirm.page.body).toContain('确认删除');
    const done = await submitForm(`${base}/${rows[0].id}/delete`, `${base}/${rows[0].id}/delete`, {});
    expect(done.headers.location).toBe(`${base}?saved=deleted`);
    const left = await t.db.selectFrom('agency_inspection_items').select('id').where('id', '=', rows[0].id).execute();
    expect(left).toEqual([]);
  });

  it('imports a CSV file from the upload form, and lists the bad lines of a refused one', async () => {
    const header = '\uFEFF编码,名称,类别,依据,实施主体\n';
    const refused = await uploadCsv(`${header}A-1,名称,行政许可,依据\nA-2,名称,行政许可,\n`);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('职权事项.csv：文件有 1 处错误，未导入任何事项');
    expect(refused.body).toContain('第 3 行：请填写设定依据');
    const ok = await uploadCsv(`${header}A-1,事项一,行政许可,依据一\nA-2,事项二,行政处罚,依据二\n`);
    expect(ok.statusCode).toBe(303);
    const list = await openPage(t, legal, ok.headers.location as string);
    expect(list.page.body).toContain('已导入 2 项：新增 2 项，更新 0 项。');
    const csv = await t.app.inject({
      url: '/publicity/profile/powers/export.csv',
      cookies: { fashen_session: legal.token },
    });
    expect(csv.body).toBe(
      '\uFEFF编码,名称,类别,依据,实施主体\r\nA-1,事项一,行政许可,依据一,\r\nA-2,事项二,行政处罚,依据二,\r\n',
    );
  });

  it('saves the remedies, starting from the legal time limits', async () => {
    const form = await openPage(t, legal, '/publicity/profile/remedies');
    expect(form.page.body).toContain('六十日内');
    const saved = await submitForm('/publicity/profile/remedies', '/publicity/profile/remedies', {
      reconsiderationOrgan: '市人民政府',
      reconsiderationTimeLimit: '六十日',
      courtName: '亭湖区人民法院',
      litigationTimeLimit: '六个月',
    });
    expect(saved.headers.location).toBe('/publicity/profile/remedies?saved=updated');
  });

  it('shows the latest changes with who made them, and the link from the publicity page', async () => {
    const overview = await openPage(t, legal, '/publicity/profile');
    expect(overview.page.body).toContain('导入 2 项（新增 2，更新 0）');
    expect(overview.page.body).toMatch(/<a href="\/publicity\/profile" aria-current="page">事前公开<\/a>/);
    expect((await openPage(t, legal, '/publicity')).page.body).toContain('href="/publicity/profile"');
  });

  it('refuses the pages to an officer', async () => {
    const page = await t.app.inject({
      url: '/publicity/profile',
      headers: html,
      cookies: { fashen_session: officer.token },
    });
    expect(page.statusCode).toBe(403);
  });
});

describe('the demo data', () => {
  it('loads the disclosures of the two demo agencies once, however often it runs', async () => {
    const scjg = await t.newDepartment({ code: 'SCJG', name: '市市场监督管理局' });
    await t.newDepartment({ code: 'STHJ', name: '市生态环境局' });
    await loadDemoProfile(t.db);
    await loadDemoProfile(t.db);
    const res = await t.app.inject({ url: `/api/public/agencies/${scjg.id}/profile` });
    const body = res.json();
    expect(body.powers.length).toBe(9);
    expect(body.serviceGuides.length).toBe(2);
    expect(body.inspectionItems.length).toBe(3);
    expect(body.remedies).toMatchObject({ filled: true, reconsiderationOrgan: '市人民政府' });
  });
});
