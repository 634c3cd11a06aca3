import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, FACTS, openTask, packet, today } from './helpers/review.js';

// The bypass measured on main (issue 13): 材料齐全 wired straight to 负责人决定.
const bypass = (xml: string) =>
  xml.replace(
    '<bpmn:sequenceFlow id="F_complete" name="材料齐全" sourceRef="Gateway_accept" targetRef="Service_assign">',
    '<bpmn:sequenceFlow id="F_complete" name="材料齐全" sourceRef="Gateway_accept" targetRef="Task_chief_decision">',
  );

let t: TestApp;
let officer: TestUser;
let chief: TestUser;
let legal: TestUser;
let departmentId: string;
let bypassXml: string;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  departmentId = d.id;
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  const shipped = await workflowFile('legal-review.bpmn');
  await deploy(t, legal, shipped);
  bypassXml = bypass(shipped);
  expect(bypassXml).not.toBe(shipped);
});
afterAll(() => t.close());

async function submit() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet({ proposedDecision: '罚款二十万元。' }), facts: { ...FACTS, amount: 200_000 } },
  });
  expect(res.statusCode).toBe(201);
  expect(res.json().reviewRequired).toBe(true);
  return res.json().caseId as string;
}

describe('the gate no flow can remove (法制审核闸门)', () => {
  it('the lint proves it on the graph: check and deploy refuse the bypass, naming the gate', async () => {
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/modeler/check',
      headers: t.as(legal),
      payload: { xml: bypassXml },
    });
    expect(check.statusCode).toBe(200);
    const messages = JSON.stringify(check.json());
    expect(messages).toContain('法制审核闸门：“负责人决定”可以不经法制审核而到达');
    const deployed = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...t.as(legal), 'content-type': 'application/xml' },
      payload: bypassXml,
    });
    expect(deployed.statusCode).toBe(400);
    expect(
      deployed
        .json()
        .error.details.problems.map((p: { message: string }) => p.message)
        .join('\n'),
    ).toContain('法制审核闸门');
  });

  it('the runtime refuses the chief and the decision on a flow that skips the review, and records the attempt', async () => {
    // A version stored before the lint knew the gate (or by any other way round the deploy check).
    const latest = await t.db
      .selectFrom('workflow_definitions')
      .select(['process_key', 'version'])
      .where('department_id', '=', departmentId)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('workflow_definitions')
      .values({
        department_id: departmentId,
        process_key: latest.process_key,
        version: latest.version + 1,
        name: '绕过审核的流程',
        xml: bypassXml,
        sha256: createHash('sha256').update(bypassXml).digest('hex'),
        deployed_by: legal.id,
        change_note: '材料齐全后直接报负责人决定',
      })
      .execute();

    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const task = await openTask(t, chief, caseId, 'Task_chief_decision');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(chief),
      payload: { decision: '同意作出决定', decisionReasons: '同意承办机构意见，依法作出处罚决定。' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'REVIEW_NOT_PASSED', details: { gate: '法制审核闸门' } });
    expect(refused.json().error.message).toContain('法制审核闸门');
    expect(refused.json().error.message).toContain('未经法制审核');

    const direct = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/decision`,
      headers: t.as(officer),
      payload: { number: '市监罚〔2026〕9号', date: '2026-11-20', content: '罚款二十万元' },
    });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error.code).toBe('REVIEW_NOT_PASSED');

    const c = await caseOf(t, officer, caseId);
    expect(c).toMatchObject({ chiefDecision: null, decision: null, reviewPassed: false });
    expect(c.opinions).toHaveLength(0);
    const attempts = c.timeline.filter((e: { type: string }) => e.type === 'case.gate_refused');
    expect(attempts.map((e: { actorId: string; payload: { act: string } }) => [e.actorId, e.payload.act])).toEqual([
      [chief.id, 'chief_decision'],
      [officer.id, 'record_decision'],
    ]);
    // The task is still open: nothing of the refused completion was written.
    expect((await openTask(t, chief, caseId, 'Task_chief_decision')).id).toBe(task.id);
  });
});

describe('facts checked against the proposal', () => {
  it.each([
    ['罚款八十万元。', 0, '八十万元', '800,000元'],
    ['罚款人民币800,000元。', 64_000, '800,000元', '800,000元'],
    ['没收违法所得3.5万元，并处罚款人民币七万元。', 35_000, '七万元', '70,000元'],
  ])('%s with 涉案金额 %d is refused, naming both amounts', async (proposedDecision, amount, written, inYuan) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet({ proposedDecision }), facts: { ...FACTS, amount } },
    });
    expect(res.statusCode).toBe(400);
    const { message } = res.json().error;
    expect(message).toContain(`“${written}”（${inYuan}）`);
    expect(message).toContain(`申报的涉案金额为 ${amount.toLocaleString('en-US')}元`);
  });

  it('accepts a declared amount that covers what the proposal imposes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: {
        packet: packet({ proposedDecision: '没收违法所得3.5万元，并处罚款七万元。' }),
        facts: { ...FACTS, amount: 70_000 },
      },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('a decision recorded directly (outside the catalogue)', () => {
  it('cannot be dated in the future', async () => {
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet({ proposedDecision: '罚款二千元。' }), facts: { ...FACTS, amount: 2000 } },
    });
    expect(submitted.json().reviewRequired).toBe(false);
    const caseId = submitted.json().caseId;
    const tomorrow = today(new Date(Date.now() + 86_400_000));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/decision`,
      headers: t.as(officer),
      payload: { number: '市监罚〔2026〕3号', date: tomorrow, content: '罚款二千元' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('晚于今天');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/decision`,
      headers: t.as(officer),
      payload: { number: '市监罚〔2026〕3号', date: today(), content: '罚款二千元' },
    });
    expect(ok.statusCode).toBe(201);
  });
});
