import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoBenchmark } from '../server/discretion/demo.js';
import { benchmarkHints } from '../server/discretion/hints.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { packetForm, pageSession } from './helpers/pages.js';
import { completeStep, FACTS, packet } from './helpers/review.js';

// 裁量基准: a department's benchmark imported from CSV, and the proposed fine of a packet checked against the range
// of the item and circumstance it chose, at submission (API and page form) and beside 裁量 for the reviewer.
let t: TestApp;
let agencyId: string;
let officer: TestUser;
let legal: TestUser;
let reviewer: TestUser;
let otherOfficer: TestUser;
let otherLegal: TestUser;
let supervisor: TestUser;
/** Item id by code, after the import. */
const ids: Record<string, string> = {};

const CSV = [
  '\uFEFF编码,违法行为,法律法规,条款,情节,幅度类型,下限,上限,说明',
  'SC-001,销售不符合保障人身、财产安全的国家标准的产品,中华人民共和国产品质量法,第四十九条,从轻,货值金额倍数,0.5,1',
  'SC-001,销售不符合保障人身、财产安全的国家标准的产品,中华人民共和国产品质量法,第四十九条,一般,货值金额倍数,1,2',
  'SC-001,销售不符合保障人身、财产安全的国家标准的产品,中华人民共和国产品质量法,第四十九条,从重,货值金额倍数,2,3',
  'JG-002,未按规定明码标价,,,不予处罚,,,,"首次违法，及时改正"',
  'JG-002,未按规定明码标价,,,一般,罚款金额（元）,"10,000","50,000",',
].join('\r\n');

const base = () => `/api/departments/${agencyId}/discretion-benchmarks`;

function submit(user: TestUser, discretion: Record<string, unknown>, proposedDecision: string, amount = 64000) {
  const p = packet({
    discretion: { benchmark: '本局行政处罚裁量基准', position: '见所选情节', ...discretion },
    proposedDecision,
  });
  return t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(user),
    payload: { packet: p, facts: { ...FACTS, amount } },
  });
}

beforeAll(async () => {
  t = await createTestApp();
  const agency = await t.newDepartment({ name: '裁量测试市场监督管理局' });
  const other = await t.newDepartment({ name: '裁量测试交通运输局' });
  const bureau = await t.newDepartment({ name: '裁量测试司法局' });
  agencyId = agency.id;
  officer = await t.newUser({ departmentId: agency.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: agency.id, roles: ['legal_admin'] });
  reviewer = await t.newUser({ departmentId: agency.id, roles: ['reviewer'] });
  otherOfficer = await t.newUser({ departmentId: other.id, roles: ['officer'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

describe('the benchmark, imported from CSV', () => {
  it('imports the good lines as items with their circumstances, and records who imported it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${base()}/import`,
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: 2, lines: 5, created: 2, updated: 0, deleted: 0 });
    const list = await t.app.inject({ url: base(), headers: t.as(officer) });
    expect(list.statusCode).toBe(200);
    for (const i of list.json()) ids[i.code] = i.id;
    const sc = list.json().find((i: { code: string }) => i.code === 'SC-001');
    expect(sc.basisLaw).toBe('中华人民共和国产品质量法');
    expect(
      sc.ranges.map((r: { circumstance: string; min: number; max: number }) => [r.circumstance, r.min, r.max]),
    ).toEqual([
      ['lighter', 0.5, 1],
      ['general', 1, 2],
      ['heavier', 2, 3],
    ]);
    const jg = list.json().find((i: { code: string }) => i.code === 'JG-002');
    expect(jg.ranges).toEqual([
      { circumstance: 'general', kind: 'fixed', min: 10000, max: 50000, note: null },
      { circumstance: 'exempt', kind: 'none', min: null, max: null, note: '首次违法，及时改正' },
    ]);
    const changes = await t.app.inject({ url: `${base()}/changes`, headers: t.as(legal) });
    expect(changes.json()[0]).toMatchObject({ action: 'imported', summary: '导入 2 项（新增 2，更新 0）' });
  });

  it('refuses a file with bad lines, naming each line, and writes nothing', async () => {
    const bad = [
      '编码,违法行为,法律法规,条款,情节,幅度类型,下限,上限',
      'X-1,违法行为甲,,,较轻,罚款金额（元）,100,200',
      'X-2,违法行为乙,,,一般,罚款金额（元）,500,100',
      'X-2,违法行为乙,,,一般,罚款金额（元）,100,500',
      'X-3,违法行为丙,,,从重,货值金额倍数,1,',
      'X-4,违法行为丁,,,从轻,违法所得倍数,1,2',
      'X-4,违法行为戊,,,一般,违法所得倍数,2,3',
    ].join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: `${base()}/import?mode=replace`,
      headers: { ...t.as(legal), 'content-type': 'text/csv' },
      payload: bad,
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.problems).toEqual([
      '第 2 行：情节“较轻”无法识别，应为减轻、从轻、一般、从重、不予处罚之一',
      '第 3 行：一般情节的下限不能大于上限',
      '第 4 行：编码 X-2 的“一般”情节与第 3 行重复',
      '第 5 行：从重情节请填写上限（货值金额倍数）',
      '第 7 行：编码 X-4 的违法行为或依据与第 6 行不一致',
    ]);
    const list = await t.app.inject({ url: base(), headers: t.as(legal) });
    expect(list.json().map((i: { code: string }) => i.code)).toEqual(['SC-001', 'JG-002']);
  });

  it('is maintained by its own legal admin only, read by its staff and the supervisor, hidden from others', async () => {
    const item = {
      code: 'CF-003',
      violation: '未按规定公示营业执照',
      ranges: [{ circumstance: 'general', kind: 'fixed', min: 1000, max: 5000 }],
    };
    const byOfficer = await t.app.inject({ method: 'POST', url: base(), headers: t.as(officer), payload: item });
    expect(byOfficer.statusCode).toBe(403);
    const byOther = await t.app.inject({ method: 'POST', url: base(), headers: t.as(otherLegal), payload: item });
    expect(byOther.statusCode).toBe(403);
    expect((await t.app.inject({ url: base(), headers: t.as(otherOfficer) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: base(), headers: t.as(supervisor) })).json()).toHaveLength(2);
    const created = await t.app.inject({ method: 'POST', url: base(), headers: t.as(legal), payload: item });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const updated = await t.app.inject({
      method: 'PUT',
      url: `${base()}/${id}`,
      headers: t.as(legal),
      payload: { ...item, ranges: [{ circumstance: 'general', kind: 'fixed', min: 1000, max: 500 }] },
    });
    expect(updated.statusCode).toBe(400);
    expect(updated.json().error.details.fields['range.general']).toBe('一般情节的下限不能大于上限');
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${id}`, headers: t.as(legal) })).statusCode).toBe(
      204,
    );
    const changes = (await t.app.inject({ url: `${base()}/changes`, headers: t.as(legal) })).json();
    expect(changes.slice(0, 2).map((c: { action: string }) => c.action)).toEqual(['deleted', 'created']);
  });
});

describe('the proposed fine against the chosen benchmark', () => {
  it('takes a fine within the range of a multiple of 货值金额', async () => {
    // 一般: 货值金额 1 to 2 times; 64,000 × 1 = 64,000.
    const res = await submit(
      officer,
      { benchmarkItemId: ids['SC-001'], circumstance: 'general', baseAmount: 64000 },
      '没收不合格产品，并处罚款六万四千元。',
    );
    expect(res.statusCode, res.body).toBe(201);
  });

  it('asks for the base amount of a multiple, and refuses a fine outside the multiple without an explanation', async () => {
    const noBase = await submit(
      officer,
      { benchmarkItemId: ids['SC-001'], circumstance: 'general' },
      '并处罚款六万四千元。',
    );
    expect(noBase.statusCode).toBe(400);
    expect(noBase.json().error.details.field).toBe('discretion.baseAmount');
    // 从重 with 货值金额 10,000: 20,000 to 30,000; 64,000 is above it.
    const above = await submit(
      officer,
      { benchmarkItemId: ids['SC-001'], circumstance: 'heavier', baseAmount: 10000 },
      '没收不合格产品，并处罚款六万四千元。',
    );
    expect(above.statusCode).toBe(422);
    const { error } = above.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.field).toBe('discretion.explanation');
    expect(error.details.assessment).toMatchObject({ status: 'above', low: 20000, high: 30000 });
    expect(error.message).toContain('按货值金额10,000元计为20,000元至30,000元');
  });

  it('refuses a fine where the benchmark says 不予处罚, and takes a decision without one', async () => {
    const fined = await submit(
      officer,
      { benchmarkItemId: ids['JG-002'], circumstance: 'exempt' },
      '处罚款人民币5,000元。',
    );
    expect(fined.statusCode).toBe(422);
    expect(fined.json().error.message).toContain('为不予处罚，而拟作出的决定罚款5,000元');
    const exempt = await submit(
      officer,
      { benchmarkItemId: ids['JG-002'], circumstance: 'exempt' },
      '当事人首次违法且及时改正，依法不予行政处罚。',
    );
    expect(exempt.statusCode, exempt.body).toBe(201);
  });

  it('checks a revised packet the same way while the case is back with the handling unit', async () => {
    const choice = { benchmarkItemId: ids['JG-002'], circumstance: 'general' };
    const res = await submit(officer, choice, '并处罚款三万元。');
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json().caseId;
    await completeStep(t, legal, caseId, 'Task_accept', {
      complete: false,
      missing: '案件调查终结报告：缺少承办人员签名',
    });
    const current = (await t.app.inject({ url: `/api/cases/${caseId}`, headers: t.as(officer) })).json();
    expect(current.status).toBe('completing');
    const revise = (discretion: Record<string, unknown>) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/cases/${caseId}/packet`,
        headers: t.as(officer),
        payload: { ...current.packet, discretion, proposedDecision: '并处罚款六万元。' },
      });
    const refused = await revise(current.packet.discretion);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.field).toBe('discretion.explanation');
    const explained = await revise({ ...current.packet.discretion, explanation: '违法情节恶劣，超出基准幅度处罚。' });
    expect(explained.statusCode, explained.body).toBe(204);
  });

  it('keeps another department out of the benchmark: its items do not exist for them', async () => {
    const res = await submit(
      otherOfficer,
      { benchmarkItemId: ids['JG-002'], circumstance: 'general' },
      '处罚款人民币20,000元。',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('discretion.benchmarkItemId');
  });

  it('takes an explained deviation and shows it beside 裁量 on the review step and the case page', async () => {
    // 一般: 10,000 to 50,000 元; the proposal is 64,000 (not the 没收 amount before it).
    const res = await submit(
      officer,
      {
        benchmarkItemId: ids['JG-002'],
        circumstance: 'general',
        explanation: '当事人拒不改正且多次违法，依法从重并超出基准幅度。',
      },
      '没收违法所得3,000元，并处罚款六万四千元。',
    );
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json().caseId;
    const casePage = await (await pageSession(t, officer)).get(`/cases/${caseId}`);
    const row = /<dd class="discretion-check">([\s\S]*?)<\/dd>/.exec(casePage.body)?.[1] ?? '';
    expect(row).toContain('偏离裁量基准');
    expect(row).toContain('为10,000元至50,000元，拟作出的决定罚款六万四千元（64,000元），高于上限');
    expect(row).toContain('偏离裁量基准的理由：当事人拒不改正且多次违法');

    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const task = await t.db
      .selectFrom('tasks')
      .innerJoin('cases', 'cases.instance_id', 'tasks.instance_id')
      .select('tasks.id')
      .where('cases.id', '=', caseId)
      .where('tasks.element_id', '=', 'Task_review')
      .executeTakeFirstOrThrow();
    const review = await (await pageSession(t, reviewer)).get(`/tasks/${task.id}`);
    expect(review.statusCode).toBe(200);
    const point = /<tr class="point[^"]*" data-point="discretion">([\s\S]*?)<\/tr>/.exec(review.body)?.[1] ?? '';
    expect(point).toContain('偏离裁量基准');
    expect(point).toContain('高于上限');
    expect(point).toContain('偏离理由：当事人拒不改正且多次违法');

    const check = await t.app.inject({ url: `/api/cases/${caseId}/discretion-check`, headers: t.as(supervisor) });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ status: 'above', low: 10000, high: 50000, proposed: { yuan: 64000 } });
    const hidden = await t.app.inject({ url: `/api/cases/${caseId}/discretion-check`, headers: t.as(otherOfficer) });
    expect(hidden.statusCode).toBe(404);

    const c = await t.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const hints = await benchmarkHints(t.db, c);
    expect(hints).toEqual([
      expect.objectContaining({
        kind: 'benchmark_deviation',
        point: 'discretion',
        key: `benchmark:${ids['JG-002']}:general`,
      }),
    ]);
    expect(hints[0].detail).toContain('承办机构说明的偏离理由：当事人拒不改正');
  });
});

describe('the workbench', () => {
  it('offers the items on the packet form and names the missing explanation beside its field', async () => {
    const s = await pageSession(t, officer);
    const form = await s.get('/cases/new');
    expect(form.body).toContain('<optgroup label="JG-002 未按规定明码标价">');
    const refused = await s.post(
      '/cases/new',
      packetForm({
        discretionChoice: `${ids['JG-002']}:general`,
        proposedDecision: '并处罚款六万四千元。',
      }),
    );
    expect(refused.statusCode).toBe(422);
    const error = /<p class="error" id="err-discretionExplanation">([^<]*)<\/p>/.exec(refused.body)?.[1] ?? '';
    expect(error).toContain('高于上限：偏离裁量基准的，请填写偏离的理由');
    const accepted = await s.post(
      '/cases/new',
      packetForm({
        discretionChoice: `${ids['JG-002']}:general`,
        proposedDecision: '并处罚款三万元。',
      }),
    );
    expect(accepted.statusCode, accepted.body.slice(0, 500)).toBe(303);
  });

  it('lets the legal admin list, add and import on the page, with the problems of a bad file by line', async () => {
    const s = await pageSession(t, legal);
    const list = await s.get('/legal/discretion');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('未按规定明码标价');
    expect(list.body).toContain('一般</b>：10,000元至50,000元');
    const bad = await s.post('/legal/discretion/new', {
      code: 'YM-9',
      violation: '违法行为己',
      'kind.general': 'fixed',
      'min.general': '300',
      'max.general': '100',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('一般情节的下限不能大于上限');
    const good = await s.post('/legal/discretion/new', {
      code: 'YM-9',
      violation: '违法行为己',
      'kind.lighter': 'illegal_gains',
      'min.lighter': '1',
      'max.lighter': '2',
    });
    expect(good.statusCode).toBe(303);
    const imported = await s.post('/legal/discretion/import', {
      mode: 'merge',
      content: '编码,违法行为,法律法规,条款,情节,幅度类型,下限,上限\nZ-1,违法行为庚,,,一般,罚款金额（元）,abc,100',
    });
    expect(imported.statusCode).toBe(400);
    expect(imported.body).toContain('第 2 行：一般情节的下限应为数字（罚款金额（元））');
    const asOfficer = await (await pageSession(t, officer)).get('/legal/discretion');
    expect(asOfficer.statusCode).toBe(403);
  });
});

describe('the demo data', () => {
  it('gives the demo 市场监管局 its benchmark once, however often it runs', async () => {
    const scjg = await t.newDepartment({ code: 'SCJG', name: '市市场监督管理局' });
    await t.newUser({ departmentId: scjg.id, roles: ['legal_admin'], username: 'legaladmin1' });
    expect(await loadDemoBenchmark(t.db)).toBe(4);
    expect(await loadDemoBenchmark(t.db)).toBe(0);
    const items = await t.db
      .selectFrom('discretion_items')
      .select('code')
      .where('department_id', '=', scjg.id)
      .execute();
    expect(items.map((i) => i.code).sort()).toEqual(['JG-039', 'JG-042', 'SC-049', 'SC-050']);
  });
});
