import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { workflowFile } from './helpers/flows.js';
import { openPage, pageSession } from './helpers/pages.js';

const BYPASS = readFileSync(new URL('./fixtures/lint/decision-gate/invalid-bypass.bpmn', import.meta.url), 'utf8');

let t: TestApp;
let legalA: TestUser;
let legalB: TestUser;
let otherLegal: TestUser;
let supervisor: TestUser;
let review: string;

/** The review process with C-01's threshold raised, C-04 renamed with a new basis, C-05 removed, C-09 added. */
function changedCatalogue(xml: string): string {
  const c05 = /\s*<fashen:catalogueItem code="C-05"[\s\S]*?<\/fashen:catalogueItem>/.exec(xml)![0];
  const c09 = c05
    .replace('code="C-05"', 'code="C-09"')
    .replace(/name="[^"]*"/, 'name="没收较大数额违法所得"')
    .replace(/category="[^"]*"/, 'category="penalty"');
  return xml
    .replace(
      'amount &#62;= 50000" basis="《行政处罚法》第五十八条"',
      'amount &#62;= 100000" basis="《行政处罚法》第五十八条"',
    )
    .replace('name="直接关系第三人重大权益或者经听证的行政许可"', 'name="直接关系申请人或者他人重大权益的行政许可"')
    .replace('basis="《行政许可法》第三十六条、第四十六条"', 'basis="《行政许可法》第四十七条"')
    .replace(c05, c09);
}

async function call(user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: t.as(user), payload });
  return { status: res.statusCode, body: res.body ? res.json() : null };
}

const propose = (user: TestUser, xml: string, note = '调整目录清单') =>
  call(user, 'POST', '/api/deployment-requests', { xml, note });

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment({ name: '市市场监督管理局' });
  const other = await t.newDepartment();
  const bureau = await t.newDepartment({ name: '市司法局' });
  legalA = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  legalB = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  review = await workflowFile('legal-review.bpmn');
});

afterAll(() => t?.close());

describe('a change of flow or catalogue needs a second legal admin', () => {
  it('refuses a flow that bypasses the review gate when it is proposed, naming the gate', async () => {
    const res = await propose(legalA, BYPASS);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('法制审核闸门');
    expect((await call(legalA, 'GET', '/api/deployment-requests')).body).toEqual([]);
  });

  it('deploys the first version only when another legal admin approves it', async () => {
    const proposed = await propose(legalA, review, '初始目录清单');
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'pending', processKey: 'legal_review', baseVersion: null });
    expect((await call(legalA, 'GET', '/api/workflows')).body).toEqual([]);

    const self = await call(legalA, 'POST', `/api/deployment-requests/${proposed.body.id}/approve`);
    expect(self.status).toBe(409);
    expect(self.body.error.message).toBe(
      '不能审批本人提交的部署申请：流程和目录清单的变更须由本机关另一名法制机构管理员审批（双人复核）',
    );
    // Another department's legal admin does not see it at all.
    expect((await call(otherLegal, 'POST', `/api/deployment-requests/${proposed.body.id}/approve`)).status).toBe(404);

    const approved = await call(legalB, 'POST', `/api/deployment-requests/${proposed.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 1, decidedBy: legalB.id });
    const versions = (await call(legalA, 'GET', '/api/workflows/legal_review/versions')).body;
    expect(versions).toMatchObject([{ version: 1, changeNote: '初始目录清单', deployedBy: legalA.id }]);
    // Decided once: a second approval is refused.
    expect((await call(legalB, 'POST', `/api/deployment-requests/${proposed.body.id}/approve`)).status).toBe(409);
  });

  it('shows the approver and the supervisors the catalogue item by item', async () => {
    const proposed = await propose(legalA, changedCatalogue(review), '提高罚款数额标准，调整许可事项');
    expect(proposed.status).toBe(201);
    // Only one open request per process.
    expect((await propose(legalB, changedCatalogue(review).replace('C-09', 'C-10'))).status).toBe(409);
    const seen = await call(supervisor, 'GET', `/api/deployment-requests/${proposed.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.catalogueDiff).toEqual({
      added: [{ code: 'C-09', name: '没收较大数额违法所得', categoryLabel: '行政处罚' }],
      removed: [
        { code: 'C-05', name: '查封、扣押财物或者强制拆除等涉及重大财产权益的行政强制', categoryLabel: '行政强制' },
      ],
      changed: [
        {
          code: 'C-01',
          name: '对法人或者其他组织处以五万元以上罚款、没收违法所得或者非法财物',
          categoryLabel: '行政处罚',
          fields: [
            { field: 'amountThreshold', label: '金额门槛', before: '≥ 50,000 元', after: '≥ 100,000 元' },
            {
              field: 'condition',
              label: '适用条件',
              before: 'category = "penalty" and partyType = "organization" and amount >= 50000',
              after: 'category = "penalty" and partyType = "organization" and amount >= 100000',
            },
          ],
        },
        {
          code: 'C-04',
          name: '直接关系申请人或者他人重大权益的行政许可',
          categoryLabel: '行政许可',
          fields: [
            {
              field: 'name',
              label: '事项名称',
              before: '直接关系第三人重大权益或者经听证的行政许可',
              after: '直接关系申请人或者他人重大权益的行政许可',
            },
            {
              field: 'basis',
              label: '法律依据',
              before: '《行政许可法》第三十六条、第四十六条',
              after: '《行政许可法》第四十七条',
            },
          ],
        },
      ],
    });
    // The supervisors' workbench lists it with the diff.
    const { page } = await openPage(t, supervisor, `/changes/${proposed.body.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('≥ 100,000 元');
    expect(page.body).toContain('新增事项（1 项）');
    expect(page.body).not.toContain('批准并部署');

    const rejected = await call(legalB, 'POST', `/api/deployment-requests/${proposed.body.id}/reject`, {
      reason: '罚款数额标准须先经集体讨论',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: '罚款数额标准须先经集体讨论', version: null });
    const versions = (await call(legalA, 'GET', '/api/workflows/legal_review/versions')).body;
    expect(versions).toHaveLength(1);
  });

  it('deploys an approved change as the next version and publishes its history', async () => {
    const proposed = await propose(legalB, changedCatalogue(review), '提高罚款数额标准');
    const approved = await call(legalA, 'POST', `/api/deployment-requests/${proposed.body.id}/approve`);
    expect(approved.body).toMatchObject({ status: 'approved', version: 2, baseVersion: 1 });
    const catalogue = await t.app.inject({ method: 'GET', url: `/api/departments/${legalA.departmentId}/catalogue` });
    expect(catalogue.json().items.map((i: { code: string }) => i.code)).toContain('C-09');
    const list = (await call(supervisor, 'GET', '/api/deployment-requests')).body as { status: string }[];
    expect(list.map((r) => r.status)).toEqual(['approved', 'rejected', 'approved']);
    // The portal publishes the versions that took effect, with who proposed and approved each, item by item;
    // the rejected proposal stays internal.
    const history = await t.app.inject({ url: `/public/agencies/${legalA.departmentId}/catalogue-history` });
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('第 2 版');
    expect(history.body).toContain('第 1 版');
    expect(history.body).toContain('变更说明：提高罚款数额标准');
    expect(history.body).toContain('C-09');
    expect(history.body).toContain('金额门槛');
    expect(history.body).not.toContain('罚款数额标准须先经集体讨论');
    const names = await t.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [legalA.id, legalB.id])
      .execute();
    const name = (id: string) => names.find((n) => n.id === id)?.display_name ?? '';
    expect(history.body).toContain(`${name(legalB.id)} 提出`);
    expect(history.body).toContain(`${name(legalA.id)} 审批生效`);
    // The justice bureau's dashboard tells the supervisors how many changes took effect lately.
    const dashboard = await (await pageSession(t, supervisor)).get('/supervisor');
    expect(dashboard.body).toMatch(/近30日流程与目录变更<\/span><b>2<\/b>/);
    const agency = await t.app.inject({ url: `/public/agencies/${legalA.departmentId}` });
    expect(agency.body).toContain(`/public/agencies/${legalA.departmentId}/catalogue-history`);
  });

  it('keeps the raw XML upload governed too', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/workflows?note=脚本上传',
      headers: { ...t.as(legalA), 'content-type': 'application/xml' },
      payload: review,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'pending', baseVersion: 2 });
  });
});
