import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';

let t: TestApp;
let dept: { id: string; code: string };
let other: { id: string; code: string };
let legal: TestUser;
let otherLegal: TestUser;
let officer: TestUser;
let admin: TestUser;

const POWER = {
  code: 'CF-001',
  name: '对未取得食品经营许可从事食品经营活动的处罚',
  category: 'penalty',
  legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
};
const INSPECTION = {
  name: '食品经营者落实食品安全主体责任情况检查',
  objects: '辖区内持证食品经营者',
  method: '现场检查',
  basis: '《中华人民共和国食品安全法》第一百一十条',
  ratio: '每年抽查比例不低于5%',
};
const GUIDE = { title: '食品经营许可办事指南', matter: '食品经营许可的申请', procedure: '申请—受理—审查—决定' };
const REMEDIES = {
  reconsiderationOrgan: '盐城市人民政府',
  reconsiderationTimeLimit: '自知道该行政行为之日起六十日内',
  courtName: '盐城市亭湖区人民法院',
  litigationTimeLimit: '自知道作出行政行为之日起六个月内',
};

beforeAll(async () => {
  t = await createTestApp();
  dept = await t.newDepartment({ name: '市场监督管理局事前公开测试' });
  other = await t.newDepartment({ name: '生态环境局事前公开测试' });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  admin = await t.newUser({ departmentId: other.id, roles: ['admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

function api(user: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: user ? t.as(user) : {}, payload });
}

function importCsv(text: string | Buffer, mode = 'merge', user = legal) {
  return t.app.inject({
    method: 'POST',
    url: `/api/departments/${dept.id}/powers/import?mode=${mode}`,
    headers: { ...t.as(user), 'content-type': 'text/csv' },
    payload: text,
  });
}

async function powerCodes() {
  const res = await api(legal, 'GET', `/api/departments/${dept.id}/powers?limit=500`);
  return (res.json().items as { code: string }[]).map((p) => p.code);
}

describe('the powers list (职权事项清单)', () => {
  it('is maintained by the legal admin: add, read, change, delete, each change recorded with who and when', async () => {
    const created = await api(legal, 'POST', `/api/departments/${dept.id}/powers`, { ...POWER, code: 'TMP-1' });
    expect(created.statusCode).toBe(201);
    const power = created.json();
    expect(power).toMatchObject({ code: 'TMP-1', categoryLabel: '行政处罚', implementingUnit: null });
    expect(power.updatedByName).toMatch(/^测试用户/);
    const url = `/api/departments/${dept.id}/powers/${power.id}`;
    const changed = await api(legal, 'PUT', url, {
      ...POWER,
      code: 'TMP-1',
      name: '改名后的事项',
      category: 'inspection',
    });
    expect(changed.json()).toMatchObject({
      name: '改名后的事项',
      categoryLabel: '行政检查',
      sortOrder: power.sortOrder,
    });
    expect((await api(legal, 'GET', url)).json().name).toBe('改名后的事项');
    expect((await api(legal, 'DELETE', url)).statusCode).toBe(204);
    expect((await api(legal, 'GET', url)).json().error.code).toBe('NOT_FOUND');
    const log = await t.db
      .selectFrom('agency_profile_changes')
      .select(['action', 'summary', 'actor_id'])
      .where('item_id', '=', power.id)
      .orderBy('id')
      .execute();
    expect(log.map((c) => c.action)).toEqual(['created', 'updated', 'deleted']);
    expect(log.every((c) => c.actor_id === legal.id)).toBe(true);
  });

  it('refuses a second power with the same code', async () => {
    const payload = { ...POWER, code: 'DUP-1' };
    expect((await api(legal, 'POST', `/api/departments/${dept.id}/powers`, payload)).statusCode).toBe(201);
    const again = await api(legal, 'POST', `/api/departments/${dept.id}/powers`, payload);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'CONFLICT', details: { fields: { code: expect.any(String) } } });
  });

  it('answers bad input with 400 in the one error shape, never 500', async () => {
    const url = `/api/departments/${dept.id}/powers`;
    const blank = await api(legal, 'POST', url, { ...POWER, code: 'B-1', legalBasis: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: '请填写设定依据',
        details: { fields: { legalBasis: '请填写设定依据' } },
      },
    });
    const long = await api(legal, 'POST', url, { ...POWER, code: 'B-2', name: '长'.repeat(201) });
    expect(long.json().error.code).toBe('VALIDATION_FAILED');
    const category = await api(legal, 'POST', url, { ...POWER, code: 'B-3', category: 'parking' });
    expect(category.statusCode).toBe(400);
    const unknown = await api(legal, 'POST', url, { ...POWER, code: 'B-4', extra: 1 });
    expect(unknown.statusCode).toBe(400);
    const spaced = await api(legal, 'POST', url, { ...POWER, code: 'B 5' });
    expect(spaced.json().error.details.fields.code).toBe('编码不能包含空格');
    const nul = await api(legal, 'POST', url, { ...POWER, code: 'B-6', name: '含\u0000控制字符' });
    // Refused at the door and named (it was silently stripped before): nothing changes what a person typed.
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details.field).toBe('body.name');
  });
});

describe('CSV import of the powers list', () => {
  const HEADER = '编码,名称,类别,依据,实施主体';

  it('imports a UTF-8 file with a BOM, adding new codes and overwriting known ones', async () => {
    const csv = `\uFEFF${HEADER}\r\nDUP-1,覆盖后的名称,行政处罚,《中华人民共和国行政处罚法》第二十八条,\r\nXK-001,食品经营许可,行政许可,"《中华人民共和国食品安全法》第三十五条，
《食品经营许可和备案管理办法》",市市场监督管理局\r\n\r\n,,,,\r\n`;
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rows: 2, created: 1, updated: 1, deleted: 0 });
    const { items } = (await api(legal, 'GET', `/api/departments/${dept.id}/powers?q=XK-001`)).json();
    expect(items[0]).toMatchObject({
      category: 'licensing',
      legalBasis: '《中华人民共和国食品安全法》第三十五条，\n《食品经营许可和备案管理办法》',
      implementingUnit: '市市场监督管理局',
    });
    expect(await powerCodes()).toContain('DUP-1');
  });

  it('refuses a file with bad lines, naming each line, and writes nothing', async () => {
    const before = await powerCodes();
    const csv = `${HEADER}\nN-1,新事项一,行政处罚,依据一\nN-2,新事项二,行政停车,依据二\nN-3,,行政许可,依据三\nN-1,重复,行政许可,依据四\n`;
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('未导入任何事项');
    expect(error.details.problems).toEqual([
      expect.stringMatching(/^第 3 行：类别应为行政许可、/),
      '第 4 行：请填写事项名称',
      '第 5 行：编码 N-1 与第 2 行重复',
    ]);
    expect(await powerCodes()).toEqual(before);
  });

  it('refuses a file that is not UTF-8, a wrong header, an open quote and too many rows', async () => {
    const gbk = Buffer.from([0xb1, 0xe0, 0xc2, 0xeb, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6]); // 编码,名称 in GBK
    expect((await importCsv(gbk)).json().error.details.problems[0]).toContain('不是 UTF-8 编码');
    expect((await importCsv('代码,名称,类别,依据\nA,B,行政许可,C\n')).json().error.details.problems[0]).toMatch(
      /^第 1 行：表头应为/,
    );
    const open = await importCsv(`${HEADER}\nQ-1,"没有闭合,行政许可,依据\n`);
    expect(open.json().error.details.problems).toEqual(['第 2 行：引号没有闭合']);
    const rows = Array.from({ length: 3001 }, (_, i) => `R-${i},事项${i},行政检查,依据`).join('\n');
    const many = await importCsv(`${HEADER}\n${rows}\n`);
    expect(many.statusCode).toBe(413);
    expect(many.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('in replace mode keeps only the powers the file lists', async () => {
    const res = await importCsv(
      `${HEADER}\nXK-001,食品经营许可,行政许可,《中华人民共和国食品安全法》第三十五条\n`,
      'replace',
    );
    expect(res.json()).toMatchObject({ rows: 1, created: 0, updated: 1 });
    expect(res.json().deleted).toBeGreaterThan(0);
    expect(await powerCodes()).toEqual(['XK-001']);
    await api(legal, 'POST', `/api/departments/${dept.id}/powers`, POWER);
  });
});

describe('remedies, service guides and the random-inspection list', () => {
  it('keeps one remedies record per department and checks its fields', async () => {
    const url = `/api/departments/${dept.id}/remedies`;
    expect((await api(legal, 'GET', url)).statusCode).toBe(404);
    const bad = await api(legal, 'PUT', url, { ...REMEDIES, courtName: '', reconsiderationPhone: '电话' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.details.fields).sort()).toEqual(['courtName', 'reconsiderationPhone']);
    expect((await api(legal, 'PUT', url, { ...REMEDIES, reconsiderationPhone: '0515-88888888' })).statusCode).toBe(200);
    const saved = await api(legal, 'PUT', url, { ...REMEDIES, notes: '复议期间不停止执行。' });
    expect(saved.json()).toMatchObject({ ...REMEDIES, reconsiderationPhone: null, notes: '复议期间不停止执行。' });
  });

  it('lists, changes and deletes guides and inspection items of the department only', async () => {
    const guide = (await api(legal, 'POST', `/api/departments/${dept.id}/service-guides`, GUIDE)).json();
    expect(guide).toMatchObject({ title: GUIDE.title, fees: null });
    const item = await api(legal, 'POST', `/api/departments/${dept.id}/inspection-items`, INSPECTION);
    expect(item.statusCode).toBe(201);
    const temp = (
      await api(legal, 'POST', `/api/departments/${dept.id}/inspection-items`, { ...INSPECTION, name: '临时' })
    ).json();
    const url = `/api/departments/${dept.id}/inspection-items/${temp.id}`;
    expect((await api(legal, 'PUT', url, { ...INSPECTION, name: '改过', sortOrder: 1 })).json().sortOrder).toBe(1);
    expect((await api(legal, 'DELETE', url)).statusCode).toBe(204);
    const list = (await api(legal, 'GET', `/api/departments/${dept.id}/inspection-items`)).json();
    expect(list.map((i: { name: string }) => i.name)).toEqual([INSPECTION.name]);
    // Another department's item id does not reach into this department.
    expect(
      (await api(otherLegal, 'DELETE', `/api/departments/${other.id}/service-guides/${guide.id}`)).statusCode,
    ).toBe(404);
  });
});

describe('access', () => {
  it('refuses officers, other departments and anonymous callers; a system admin may maintain any agency', async () => {
    const url = `/api/departments/${dept.id}/inspection-items`;
    expect((await api(officer, 'POST', url, INSPECTION)).json().error.code).toBe('FORBIDDEN');
    const foreign = await api(otherLegal, 'POST', url, INSPECTION);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toBe('只能维护本机关的事前公开信息');
    expect((await api(otherLegal, 'GET', `/api/departments/${dept.id}/powers`)).statusCode).toBe(403);
    expect((await importCsv('编码,名称,类别,依据\nA,B,行政许可,C\n', 'merge', otherLegal)).statusCode).toBe(403);
    expect((await api(null, 'GET', url)).statusCode).toBe(401);
    const byAdmin = await api(admin, 'POST', `/api/departments/${other.id}/service-guides`, GUIDE);
    expect(byAdmin.statusCode).toBe(201);
    const missing = await api(
      admin,
      'POST',
      '/api/departments/00000000-0000-4000-8000-000000000000/service-guides',
      GUIDE,
    );
    expect(missing.statusCode).toBe(404);
  });

  it('lets anyone read the disclosures as JSON without logging in, cacheable for a minute', async () => {
    const res = await api(null, 'GET', `/api/public/agencies/${dept.id}/profile`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const body = res.json();
    expect(body.powers.map((p: { code: string }) => p.code)).toEqual(['XK-001', 'CF-001']);
    expect(body.powers[0]).not.toHaveProperty('updatedByName');
    expect(body.remedies).toMatchObject({ filled: true, courtName: REMEDIES.courtName });
    expect(body.inspectionItems[0]).toMatchObject(INSPECTION);
    expect(body.flowcharts).toEqual([
      expect.objectContaining({
        processKey: 'legal_review',
        svgUrl: `/api/departments/${dept.id}/flowchart.svg?processKey=legal_review&version=1`,
      }),
    ]);
    const empty = (await api(null, 'GET', `/api/public/agencies/${other.id}/profile`)).json();
    expect(empty).toMatchObject({ powers: [], flowcharts: [], remedies: { filled: false } });
    expect(empty.remedies.reconsiderationTimeLimit).toContain('六十日');
    const unknown = await api(null, 'GET', '/api/public/agencies/00000000-0000-4000-8000-000000000000/profile');
    expect(unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: '执法机关不存在' } });
  });
});

describe('the OpenAPI document', () => {
  it('describes the import body as CSV and every route of the section', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    const paths = Object.keys(doc.paths).filter((p) => p.includes('/powers') || p.endsWith('/profile'));
    expect(paths.sort()).toEqual([
      '/api/departments/{id}/powers',
      '/api/departments/{id}/powers/import',
      '/api/departments/{id}/powers/{itemId}',
      '/api/public/agencies/{id}/profile',
    ]);
    expect(Object.keys(doc.paths['/api/departments/{id}/powers/import'].post.requestBody.content)).toEqual([
      'text/csv',
    ]);
  });
});

describe('the portal page of the agency', () => {
  it('shows the powers, flowcharts, guides, inspection list and remedies', async () => {
    const page = await t.app.inject({ url: `/public/agencies/${dept.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    for (const text of [POWER.name, POWER.legalBasis, '行政许可（1 项）', GUIDE.title, INSPECTION.ratio]) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain(REMEDIES.reconsiderationOrgan);
    expect(page.body).toContain(REMEDIES.courtName);
    const src = `/api/departments/${dept.id}/flowchart.svg?processKey=legal_review&amp;version=1`;
    expect(page.body).toContain(
      `<img src="${src}" alt="市场监督管理局事前公开测试“重大执法决定法制审核（默认流程）”流程图（第 1 版）"`,
    );
    expect(page.body).toContain(`<a href="${src}" target="_blank"`);
  });

  it('falls back to the legal time limits when the department has not filled in its remedies', async () => {
    const page = await t.app.inject({ url: `/public/agencies/${other.id}` });
    expect(page.body).toContain('具体复议机关和人民法院以决定书载明的为准');
    expect(page.body).toContain('六个月内');
    expect(page.body).toContain('本机关尚未公布职权事项清单');
    expect(page.body).toContain('本机关尚未部署执法流程');
  });
});
