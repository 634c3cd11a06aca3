import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let dept: { id: string };
let other: { id: string };
let legal: TestUser;
let otherLegal: TestUser;
let officer: TestUser;

const ITEMS = '抽查事项,检查对象,检查方式,检查依据,检查主体,抽查比例和频次';
const GUIDES = '指南名称,适用事项,申请材料,办理流程,办理时限,收费标准,办理地点和时间,咨询电话';
const ITEM = {
  name: '计量器具使用情况检查',
  objects: '集贸市场经营者',
  method: '现场检查',
  basis: '《中华人民共和国计量法》第十八条',
  ratio: '每年不低于5%',
};

beforeAll(async () => {
  t = await createTestApp();
  dept = await t.newDepartment({ name: '抽查清单导入测试局' });
  other = await t.newDepartment({ name: '抽查清单导入另一局' });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
});
afterAll(() => t.close());

function importCsv(slug: string, text: string | Buffer, mode = 'merge', user = legal) {
  return t.app.inject({
    method: 'POST',
    url: `/api/departments/${dept.id}/${slug}/import?mode=${mode}`,
    headers: { ...t.as(user), 'content-type': 'text/csv' },
    payload: text,
  });
}

type Item = Record<string, string | number | null> & { id: string };
async function list(slug: string): Promise<Item[]> {
  const res = await t.app.inject({ url: `/api/departments/${dept.id}/${slug}`, headers: t.as(legal) });
  return res.json();
}
const names = async () => (await list('inspection-items')).map((i) => i.name);

function exportCsv(slug: string) {
  return t.app.inject({
    url: `/publicity/profile/${slug}/export.csv`,
    cookies: { fashen_session: legal.token },
  });
}

/** An item as the API shows it, without what every save changes. */
const content = ({ id: _id, updatedAt: _at, updatedByName: _by, ...rest }: Item) => rest;

describe('CSV import of the random-inspection list (随机抽查事项清单)', () => {
  it('merges by item name, updating in place, then replace keeps exactly the file', async () => {
    const url = `/api/departments/${dept.id}/inspection-items`;
    const kept = (await t.app.inject({ method: 'POST', url, headers: t.as(legal), payload: ITEM })).json();
    const merged = await importCsv(
      'inspection-items',
      `${ITEMS}\n${ITEM.name},改过的检查对象,书面检查,依据一,,每年10%\n新的抽查事项,对象二,现场检查,依据二,某支队,每年5%\n`,
    );
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toEqual({ rows: 2, created: 1, updated: 1, deleted: 0 });
    const after = await list('inspection-items');
    expect(after.map((i) => i.name)).toEqual([ITEM.name, '新的抽查事项']);
    expect(after[0]).toMatchObject({ id: kept.id, objects: '改过的检查对象', method: '书面检查', sortOrder: 10 });
    expect(after[1]).toMatchObject({ inspectingUnit: '某支队', sortOrder: 20 });

    const replaced = await importCsv(
      'inspection-items',
      `\uFEFF${ITEMS}\r\n第三项,对象三,现场检查,依据三,,每年1次\r\n新的抽查事项,对象二,现场检查,依据二,,每年5%\r\n`,
      'replace',
    );
    expect(replaced.json()).toEqual({ rows: 2, created: 1, updated: 1, deleted: 1 });
    expect(await names()).toEqual(['第三项', '新的抽查事项']);
    expect((await list('inspection-items'))[1].inspectingUnit).toBeNull();
    const log = await t.db
      .selectFrom('agency_profile_changes')
      .select(['summary', 'actor_id', 'item_id'])
      .where('department_id', '=', dept.id)
      .where('section', '=', 'inspection_items')
      .where('action', '=', 'imported')
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      { summary: '导入 2 项（新增 1，更新 1）', actor_id: legal.id, item_id: null },
      { summary: '导入 2 项（新增 1，更新 1，删除 1）', actor_id: legal.id, item_id: null },
    ]);
  });

  it('updates the first of several items sharing a name, in list order, and leaves the others', async () => {
    const url = `/api/departments/${dept.id}/inspection-items`;
    for (const sortOrder of [900, 800]) {
      const payload = { ...ITEM, name: '同名事项', ratio: `原比例${sortOrder}`, sortOrder };
      await t.app.inject({ method: 'POST', url, headers: t.as(legal), payload });
    }
    const res = await importCsv('inspection-items', `${ITEMS}\n同名事项,对象,现场检查,依据,,新比例\n`);
    expect(res.json()).toEqual({ rows: 1, created: 0, updated: 1, deleted: 0 });
    const same = (await list('inspection-items')).filter((i) => i.name === '同名事项');
    // The one at 800 came first: it takes the file's place (10); the one at 900 is left as it was.
    expect(same.map((i) => [i.ratio, i.sortOrder])).toEqual([
      ['新比例', 10],
      ['原比例900', 900],
    ]);
  });

  it('refuses a file with bad lines, naming every one, and writes nothing', async () => {
    const before = await list('inspection-items');
    const csv = [
      ITEMS,
      '好的一项,对象,现场检查,依据,,每年5%',
      ',对象,现场检查,依据,,每年5%',
      `名称过长${'长'.repeat(200)},对象,现场检查,依据,,每年5%`,
      '缺比例,对象,现场检查,依据,,',
      '多一列,对象,现场检查,依据,,每年5%,多余',
      '好的一项,对象,书面检查,依据,,每年5%',
    ].join('\n');
    const res = await importCsv('inspection-items', csv, 'replace');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'VALIDATION_FAILED',
      message: '文件有 5 处错误，未导入任何事项',
      details: {
        problems: [
          '第 3 行：请填写抽查事项',
          '第 4 行：抽查事项不能超过 200 个字',
          '第 5 行：请填写抽查比例和频次',
          '第 6 行：列数多于表头（含逗号的内容请加英文双引号）',
          '第 7 行：抽查事项“好的一项”与第 2 行重复',
        ],
      },
    });
    expect(await list('inspection-items')).toEqual(before);
  });

  it('refuses a header other than the six columns, none of which may be left out', async () => {
    const short = await importCsv('inspection-items', '抽查事项,检查对象,检查方式,检查依据,检查主体\nA,B,C,D,E\n');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.problems).toEqual([`第 1 行：表头应为“${ITEMS}”`]);
    const powers = await importCsv('inspection-items', '编码,名称,类别,依据,实施主体\nA,B,行政许可,C,\n');
    expect(powers.json().error.details.problems[0]).toMatch(/^第 1 行：表头应为/);
    const gbk = Buffer.from([0xb3, 0xe9, 0xb2, 0xe9, 0xca, 0xc2, 0xcf, 0xee]); // 抽查事项 in GBK
    expect((await importCsv('inspection-items', gbk)).json().error.details.problems[0]).toContain('不是 UTF-8');
  });

  it('exports what it imports: multi-line fields survive export and import unchanged', async () => {
    const csv = `${ITEMS}\n"多行事项","持证食品经营者\n网络食品交易第三方平台",现场检查,"《食品安全法》第一百一十条；\r\n《食品安全抽样检验管理办法》第五条，第六条","某支队，""一大队""",每年5%\n第二项,对象,现场检查,依据,,每年1次\n`;
    expect((await importCsv('inspection-items', csv, 'replace')).json()).toMatchObject({ rows: 2, created: 2 });
    const before = await list('inspection-items');
    expect(before[0]).toMatchObject({
      objects: '持证食品经营者\n网络食品交易第三方平台',
      basis: '《食品安全法》第一百一十条；\n《食品安全抽样检验管理办法》第五条，第六条',
      inspectingUnit: '某支队，"一大队"',
    });
    const exported = await exportCsv('inspection-items');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe(
      `attachment; filename="inspection-items.csv"; filename*=UTF-8''${encodeURIComponent('随机抽查事项清单.csv')}`,
    );
    expect(exported.body).toBe(
      `\uFEFF${ITEMS}\r\n多行事项,"持证食品经营者\n网络食品交易第三方平台",现场检查,"《食品安全法》第一百一十条；\n《食品安全抽样检验管理办法》第五条，第六条","某支队，""一大队""",每年5%\r\n第二项,对象,现场检查,依据,,每年1次\r\n`,
    );
    const again = await importCsv('inspection-items', exported.rawPayload, 'replace');
    expect(again.json()).toEqual({ rows: 2, created: 0, updated: 2, deleted: 0 });
    const after = await list('inspection-items');
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
    expect(after.map(content)).toEqual(before.map(content));
    expect((await exportCsv('inspection-items')).body).toBe(exported.body);
  });

  it('takes at most 500 lines, and never more items than the list may keep', async () => {
    const lines = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i + 1},对象,现场检查,依据,,每年5%`);
    const many = await importCsv('inspection-items', [ITEMS, ...lines('事项', 501)].join('\n'));
    expect(many.statusCode).toBe(413);
    expect(many.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '一次最多导入 500 项，文件有 501 项',
    });
    const full = await importCsv('inspection-items', [ITEMS, ...lines('事项', 500)].join('\n'), 'replace');
    expect(full.json()).toMatchObject({ rows: 500, created: 500 });
    const before = await names();
    const more = await importCsv(
      'inspection-items',
      [ITEMS, '事项1,对象,现场检查,依据,,每年5%', '再一项,对象,现场检查,依据,,1%'].join('\n'),
    );
    expect(more.statusCode).toBe(409);
    expect(more.json().error).toMatchObject({
      code: 'CONFLICT',
      message: '随机抽查事项清单最多 500 项，导入后将有 501 项',
    });
    expect(await names()).toEqual(before);
  });

  it("refuses another department's legal admin, an officer and a body that is not CSV", async () => {
    const csv = `${ITEMS}\nA,B,C,D,,E\n`;
    const foreign = await importCsv('inspection-items', csv, 'merge', otherLegal);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error).toEqual({ code: 'FORBIDDEN', message: '只能维护本机关的事前公开信息' });
    expect((await importCsv('inspection-items', csv, 'merge', officer)).statusCode).toBe(403);
    expect((await importCsv('inspection-items', csv, 'everything')).statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/departments/${dept.id}/inspection-items/import`,
      headers: t.as(legal),
      payload: { csv },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('CSV import of the service guides (办事指南)', () => {
  it('imports a file without the optional trailing columns and exports all of them, round-trip unchanged', async () => {
    const csv = `${GUIDES.split(',').slice(0, 4).join(',')}\n食品经营许可办事指南,食品经营许可的申请,"1. 申请书\n2. 营业执照",申请—受理—审查—决定\n`;
    const res = await importCsv('service-guides', csv);
    expect(res.json()).toEqual({ rows: 1, created: 1, updated: 0, deleted: 0 });
    const full = `${GUIDES}\n食品经营许可办事指南,申请,,"受理\n决定",20个工作日,不收费,"政务服务中心
工作日 9:00-17:00",0515-12345\n第二份指南,事项,,流程,,,,\n`;
    expect((await importCsv('service-guides', full)).json()).toEqual({ rows: 2, created: 1, updated: 1, deleted: 0 });
    const before = await list('service-guides');
    expect(before[0]).toMatchObject({
      materials: null,
      procedure: '受理\n决定',
      placeHours: '政务服务中心\n工作日 9:00-17:00',
    });
    const exported = await exportCsv('service-guides');
    expect(exported.body.startsWith(`\uFEFF${GUIDES}\r\n`)).toBe(true);
    expect(exported.body).toContain('\r\n第二份指南,事项,,流程,,,,\r\n');
    expect(exported.headers['content-disposition']).toContain(encodeURIComponent('办事指南.csv'));
    expect((await importCsv('service-guides', exported.rawPayload, 'replace')).json()).toMatchObject({ updated: 2 });
    expect((await list('service-guides')).map(content)).toEqual(before.map(content));
  });

  it('refuses a guide without its procedure or with a bad phone, and an officer', async () => {
    const csv = `${GUIDES}\n指南一,事项,,,,,,\n指南二,事项,,流程,,,,电话号码\n`;
    const res = await importCsv('service-guides', csv);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.problems).toEqual([
      '第 2 行：请填写办理流程',
      '第 3 行：咨询电话只能包含数字、括号、连字符和分隔符',
    ]);
    const header = await importCsv('service-guides', '指南名称,适用事项,申请材料\nA,B,C\n');
    expect(header.json().error.details.problems).toEqual([
      `第 1 行：表头应为“${GUIDES}”（末尾的办理时限、收费标准、办理地点和时间、咨询电话各列可从后往前省略）`,
    ]);
    expect((await importCsv('service-guides', `${GUIDES}\nA,B,,C\n`, 'merge', officer)).statusCode).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('describes the import of each list section as a CSV body', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    for (const slug of ['powers', 'inspection-items', 'service-guides']) {
      const op = doc.paths[`/api/departments/{id}/${slug}/import`].post;
      expect(Object.keys(op.requestBody.content)).toEqual(['text/csv']);
      expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['id', 'mode']);
    }
  });
});
