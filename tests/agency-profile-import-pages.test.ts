import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { html, openPage } from './helpers/pages.js';

let t: TestApp;
let legal: TestUser;
let officer: TestUser;

const BASE = '/publicity/profile';
const ITEMS = '抽查事项,检查对象,检查方式,检查依据,检查主体,抽查比例和频次';
const GUIDES = '指南名称,适用事项,申请材料,办理流程,办理时限,收费标准,办理地点和时间,咨询电话';

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment({ name: '导入页面测试局' });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
});
afterAll(() => t.close());

/** The import form as a browser sends it: multipart with the file, or with pasted text. */
async function upload(slug: string, input: { file?: string; content?: string; mode?: string; csrf?: boolean }) {
  const { cookies, token } = await openPage(t, legal, `${BASE}/${slug}/import`);
  const form = new FormData();
  if (input.csrf !== false) form.set('_csrf', token);
  form.set('mode', input.mode ?? 'merge');
  if (input.content !== undefined) form.set('content', input.content);
  form.set('file', new Blob([input.file ?? ''], { type: 'text/csv' }), input.file ? '清单.csv' : '');
  const encoded = new Response(form);
  return t.app.inject({
    method: 'POST',
    url: `${BASE}/${slug}/import`,
    cookies,
    headers: { ...html, 'content-type': encoded.headers.get('content-type') ?? '' },
    payload: Buffer.from(await encoded.arrayBuffer()),
  });
}

const count = async () =>
  Number(
    (
      await t.db
        .selectFrom('agency_inspection_items')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the workbench import and export of the random-inspection list', () => {
  it('offers import and export on the list, and an import page describing the format', async () => {
    const list = await openPage(t, legal, `${BASE}/inspection-items`);
    expect(list.page.body).toContain(`href="${BASE}/inspection-items/import"`);
    expect(list.page.body).toContain(`href="${BASE}/inspection-items/export.csv"`);
    const { page } = await openPage(t, legal, `${BASE}/inspection-items/import`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>导入随机抽查事项清单</h1>');
    expect(page.body).toContain(`action="${BASE}/inspection-items/import"`);
    expect(page.body).toContain(`<code>${ITEMS}</code>，此后每行一项`);
    expect(page.body).toContain('合并：按“抽查事项”对照');
    expect(page.body).toContain('不超过 2 MB、500 项');
    expect(page.body).not.toContain('类别为');
  });

  it('refuses a form without its CSRF token, and writes nothing', async () => {
    const res = await upload('inspection-items', { file: `${ITEMS}\nA,B,C,D,,E\n`, csrf: false });
    expect(res.statusCode).toBe(403);
    expect(await count()).toBe(0);
  });

  it('lists every bad line of a refused file, then imports the corrected one', async () => {
    const refused = await upload('inspection-items', {
      file: `\uFEFF${ITEMS}\n事项一,对象,现场检查,依据,,\n事项一,对象,现场检查,,,每年5%\n`,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('清单.csv：文件有 3 处错误，未导入任何事项');
    expect(refused.body).toContain('第 2 行：请填写抽查比例和频次');
    expect(refused.body).toContain('第 3 行：请填写检查依据');
    expect(refused.body).toContain('第 3 行：抽查事项“事项一”与第 2 行重复');
    expect(await count()).toBe(0);
    const ok = await upload('inspection-items', {
      file: `\uFEFF${ITEMS}\n事项一,"对象甲\n对象乙",现场检查,依据,,每年5%\n事项二,对象,书面检查,依据,,每年1次\n`,
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${BASE}/inspection-items?saved=imported&rows=2&created=2&updated=0&deleted=0`);
    const list = await openPage(t, legal, ok.headers.location as string);
    expect(list.page.body).toContain('已导入 2 项：新增 2 项，更新 0 项。');
    const overview = await openPage(t, legal, BASE);
    expect(overview.page.body).toContain('导入 2 项（新增 2，更新 0）');
  });

  it('takes pasted text in replace mode, keeping the text in the form when it is refused', async () => {
    const bad = await upload('inspection-items', { content: `${ITEMS}\n事项三,对象,现场检查\n`, mode: 'replace' });
    expect(bad.statusCode).toBe(400);
    // A browser sends the textarea's line breaks as CRLF.
    expect(bad.body.replaceAll('\r\n', '\n')).toContain(`>${ITEMS}\n事项三,对象,现场检查\n</textarea>`);
    expect(bad.body).toMatch(/value="replace" checked/);
    const ok = await upload('inspection-items', {
      content: `${ITEMS}\n事项二,对象,书面检查,依据,,每年2次\n`,
      mode: 'replace',
    });
    expect(ok.headers.location).toBe(`${BASE}/inspection-items?saved=imported&rows=1&created=0&updated=1&deleted=1`);
    const list = await openPage(t, legal, ok.headers.location as string);
    expect(list.page.body).toContain('已导入 1 项：新增 0 项，更新 1 项，删除 1 项。');
  });

  it('exports the list as the file it imports', async () => {
    const csv = await t.app.inject({
      url: `${BASE}/inspection-items/export.csv`,
      cookies: { fashen_session: legal.token },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.body).toBe(`\uFEFF${ITEMS}\r\n事项二,对象,书面检查,依据,,每年2次\r\n`);
  });

  it('refuses the import page and the export to an officer', async () => {
    for (const url of [`${BASE}/inspection-items/import`, `${BASE}/inspection-items/export.csv`]) {
      const res = await t.app.inject({ url, headers: html, cookies: { fashen_session: officer.token } });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('the workbench import of the service guides', () => {
  it('describes the columns that may be left out, and imports a file without them', async () => {
    const { page } = await openPage(t, legal, `${BASE}/service-guides/import`);
    expect(page.body).toContain('<h1>导入办事指南</h1>');
    expect(page.body).toContain(
      `<code>${GUIDES}</code>（末尾的办理时限、收费标准、办理地点和时间、咨询电话各列可从后往前省略）`,
    );
    const ok = await upload('service-guides', { file: '指南名称,适用事项,申请材料,办理流程\n指南一,事项,,流程\n' });
    expect(ok.headers.location).toBe(`${BASE}/service-guides?saved=imported&rows=1&created=1&updated=0&deleted=0`);
    const list = await openPage(t, legal, `${BASE}/service-guides`);
    expect(list.page.body).toContain('指南一');
    expect(list.page.body).toContain(`href="${BASE}/service-guides/export.csv"`);
  });
});
