import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { importLaws } from './helpers/laws.js';
import { pageSession } from './helpers/pages.js';
import { completeStep, FACTS, packet } from './helpers/review.js';

// A packet's legal bases checked against the law library on the case page (the officer, after submitting) and
// on the review step (the reviewer, beside the 法律适用 point), in the version of the day of the conduct.
let t: TestApp;
let officer: TestUser;
let legal: TestUser;
let reviewer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment({ name: '依据核对测试局' });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  reviewer = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  await importLaws(t, /产品质量法|行政处罚法/, { titles: ['中华人民共和国产品质量法', '中华人民共和国行政处罚法'] });
});
afterAll(() => t.close());

async function submit(extra: Record<string, unknown>) {
  const p = { ...packet(), ...extra };
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: p, facts: FACTS },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().caseId as string;
}

describe('the legal bases of a packet, checked against the law library', () => {
  it('shows each basis with its article text or the problem, read on the day of the conduct', async () => {
    const caseId = await submit({
      conductDate: '2024-05-10',
      legalBasis: [
        { law: '《中华人民共和国产品质量法》', article: '第四十九条' },
        { law: '产品质量法', article: '第九百条' },
        { law: '重大行政决策程序暂行条例', article: '第三条' },
        { law: '行政处罚法', article: '第58条第一款' },
      ],
    });
    const page = await (await pageSession(t, officer)).get(`/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    const basis = /<dd class="basis-check">([\s\S]*?)<\/dd>/.exec(page.body)?.[1] ?? '';
    expect(basis).toContain('《中华人民共和国产品质量法》第四十九条');
    // Article 49's own words, inline.
    expect(basis).toContain('生产、销售不符合保障人体健康');
    expect(basis).toContain('需核实：这部法律法规没有此条');
    expect(basis).toContain('需核实：法律法规库中没有这部法律法规');
    expect(basis).toContain('（一）涉及重大公共利益的；');
    expect(basis).toContain('已核对（2021年1月22日版本）');
    expect(basis).toContain('2 处引用需核实');
    expect(basis).toContain('按违法行为发生之日施行的版本核对（2024年5月10日）');
    expect(page.body).toContain('违法行为发生日期</dt>');
  });

  it('flags a basis not yet in force on the day of the conduct, and says which day it used without one', async () => {
    // 行政处罚法 took effect on 1 October 1996: conduct in 1995 has no version of it to be read in.
    const before = await submit({
      conductDate: '1995-06-01',
      legalBasis: [{ law: '中华人民共和国行政处罚法', article: '第三条' }],
    });
    const page = await (await pageSession(t, officer)).get(`/cases/${before}`);
    expect(page.body).toContain('需核实：该日期不在施行期内');
    const undated = await submit({ legalBasis: [{ law: '中华人民共和国产品质量法', article: '第四十九条' }] });
    const other = await (await pageSession(t, officer)).get(`/cases/${undated}`);
    expect(other.body).toContain('未填写违法行为发生日期，按送审之日施行的版本核对');
    expect(other.body).not.toContain('处引用需核实');
  });

  it('shows the reviewer the same check on the review step', async () => {
    const caseId = await submit({
      conductDate: '2024-05-10',
      legalBasis: [{ law: '产品质量法', article: '第九百条' }],
    });
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const task = await t.db
      .selectFrom('tasks')
      .innerJoin('cases', 'cases.instance_id', 'tasks.instance_id')
      .select('tasks.id')
      .where('cases.id', '=', caseId)
      .where('tasks.element_id', '=', 'Task_review')
      .executeTakeFirstOrThrow();
    const page = await (await pageSession(t, reviewer)).get(`/tasks/${task.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('需核实：这部法律法规没有此条');
  });

  it('refuses a malformed conduct date by its Chinese name', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: { ...packet(), conductDate: '2024年5月10日' }, facts: FACTS },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('违法行为发生日期');
  });
});
