import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { approveRequest, workflowFile } from './helpers/flows.js';
import { importLaws } from './helpers/laws.js';

// The catalogue items' legal bases, structured (fashen:basis) or as the old attribute, parsed and resolved
// against the law library when a flow is checked or proposed for deployment: problems are warnings, not refusals.
let t: TestApp;
let legal: TestUser;
let departmentId: string;
let xml: string;

const C01 = 'code="C-01"';
const C02 = 'code="C-02"';

/** legal-review.bpmn with C-01's basis structured, and C-02's pointing at an article the law does not have. */
function structured(source: string, c02Article = '第九百条') {
  const basis = 'basis="《行政处罚法》第五十八条" reviewWorkingDays="5">';
  const open = (code: string) => source.indexOf(code);
  const replaceAfter = (s: string, at: number, law: string, article: string) => {
    const i = s.indexOf(basis, at);
    return `${s.slice(0, i)}reviewWorkingDays="5">\n          <fashen:basis law="${law}" article="${article}" />${s.slice(i + basis.length)}`;
  };
  const one = replaceAfter(source, open(C01), '中华人民共和国行政处罚法', '第五十八条');
  return replaceAfter(one, one.indexOf(C02), '行政处罚法', c02Article);
}

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment({ name: '依据部署核对测试局' });
  departmentId = dept.id;
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  await importLaws(t, /行政处罚法/, { titles: ['中华人民共和国行政处罚法'] });
  xml = structured(await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: t.as(legal), payload });

describe('the legal bases of a catalogue at deploy time', () => {
  it('come back from the check as Chinese warnings, the document still deployable', async () => {
    const res = await post('/api/modeler/check', { xml });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ok).toBe(true);
    const messages = body.warnings.map((w: { message: string }) => w.message);
    expect(messages).toContain('目录清单事项“C-02”的法律依据“《行政处罚法》第九百条”：现行版本中没有所引的条、款、项');
    expect(messages).toContain(
      '目录清单事项“C-08”的法律依据“《重大行政决策程序暂行条例》参照”：未写明具体条款（应写明第N条）；法律法规库中也没有这部法律法规（名称有误、已失效或未收录）',
    );
    // 行政处罚法 第五十八条 and 第九条 resolve: no warning for C-01 (structured) or C-03 (the old attribute).
    const codes = body.warnings.map((w: { itemCode: string }) => w.itemCode);
    expect(codes).not.toContain('C-01');
    expect(codes).not.toContain('C-03');
    expect(body.warnings[0]).toMatchObject({ code: 'BASIS_UNRESOLVED', elementId: 'legal_review' });
  });

  it('come back with the deployment request, and the deployed catalogue keeps the structured bases', async () => {
    const proposed = await post('/api/deployment-requests', { xml, note: '法律依据结构化' });
    expect(proposed.statusCode, proposed.body).toBe(201);
    expect(proposed.json().warnings.map((w: { itemCode: string }) => w.itemCode)).toContain('C-02');
    await approveRequest(t, departmentId, proposed.json().id);
    const catalogue = await t.app.inject({ url: `/api/departments/${departmentId}/catalogue`, headers: t.as(legal) });
    const items = catalogue.json().items as { code: string; basis: string; bases?: unknown }[];
    expect(items.find((i) => i.code === 'C-01')).toMatchObject({
      basis: '《中华人民共和国行政处罚法》第五十八条',
      bases: [{ law: '中华人民共和国行政处罚法', article: '第五十八条' }],
    });
    expect(items.find((i) => i.code === 'C-03')).toMatchObject({ basis: '《行政处罚法》第九条' });
    expect(items.find((i) => i.code === 'C-03')?.bases).toBeUndefined();
  });

  it('refuses a structured basis without its article, as an error of the item', async () => {
    const res = await post('/api/modeler/check', { xml: structured(await workflowFile('legal-review.bpmn'), '') });
    expect(res.json().ok).toBe(false);
    expect(res.json().problems.map((p: { message: string }) => p.message)).toContain(
      '目录清单事项“C-02”：法律依据《行政处罚法》缺少条款（article，如 第四十九条）',
    );
  });
});
