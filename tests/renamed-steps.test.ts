import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewSpans } from '../server/tasks/task-stats.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { html, openPage } from './helpers/pages.js';
import { caseOf, coordinationHeld, FACTS, packet, rereviewForm, reviewForm, today } from './helpers/review.js';

/** The process key names the department's review process (the catalogue and cases look it up), so it stays. */
const PROCESS_KEY = 'legal_review';

/**
 * A department's copy of a process with every element renamed as its modeler would: each id, and every
 * reference to it (flows, boundary events, diagram shapes, incoming/outgoing), becomes `Knoten_<n>`.
 */
function renameElements(xml: string): { xml: string; renamed: Map<string, string> } {
  const ids = [...xml.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]).filter((id) => id !== PROCESS_KEY);
  const renamed = new Map(ids.map((id, i) => [id, `Knoten_${i + 1}`]));
  const out = xml.replace(/(="|>)([^"<>]+)(?=["<])/g, (whole, open: string, value: string) =>
    renamed.has(value) ? `${open}${renamed.get(value)}` : whole,
  );
  return { xml: out, renamed };
}

let t: TestApp;
let legal: TestUser;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let departmentId: string;
let original: Map<string, string>;
let copy: string;

beforeAll(async () => {
  t = await createTestApp();
  departmentId = (await t.newDepartment()).id;
  legal = await t.newUser({ departmentId, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId, roles: ['chief'] });
  const { xml, renamed } = renameElements(await workflowFile('legal-review.bpmn'));
  original = renamed;
  copy = xml;
  await deploy(t, legal, copy);
});
afterAll(() => t.close());

/** The case's one open task, which must be the given step; its element is one of the renamed ones. */
async function openStep(caseId: string, step: string) {
  const open = await t.db
    .selectFrom('tasks')
    .innerJoin('cases', 'cases.instance_id', 'tasks.instance_id')
    .select(['tasks.id', 'tasks.step', 'tasks.element_id'])
    .where('cases.id', '=', caseId)
    .where('tasks.status', '=', 'open')
    .execute();
  expect(open.map((x) => x.step)).toEqual([step]);
  expect(open[0].element_id).toMatch(/^Knoten_\d+$/);
  return open[0].id;
}

async function complete(user: TestUser, taskId: string, form: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${taskId}/complete`,
    headers: t.as(user),
    payload: form,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** The step's form page as its user sees it; returns the layout the form was rendered with. */
async function formLayout(user: TestUser, taskId: string) {
  const res = await t.app.inject({ url: `/tasks/${taskId}`, headers: html, cookies: { fashen_session: user.token } });
  expect(res.statusCode).toBe(200);
  return { layout: /class="task-form layout-([a-z]+)"/.exec(res.body)?.[1], body: res.body };
}

describe('a department that renamed every element of the default process', () => {
  it('deploys its copy, in which no element keeps its shipped id', () => {
    expect([...original.keys()]).toEqual(expect.arrayContaining(['Task_review', 'Task_accept', 'F_start']));
    const kept = [...original.keys()].filter((id) => copy.includes(`"${id}"`) || copy.includes(`>${id}<`));
    expect(kept).toEqual([]);
    expect(copy).not.toContain('Task_');
  });

  it('still gets each step’s own form, the step filter and its review figures', async () => {
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet(), facts: FACTS },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const caseId: string = submitted.json().caseId;

    let task = await openStep(caseId, 'accept');
    expect((await formLayout(legal, task)).layout).toBe('accept');
    await complete(legal, task, { complete: false, missing: '抽样检验报告原件：仅有复印件，请提交原件' });

    task = await openStep(caseId, 'complete_packet');
    expect((await formLayout(officer, task)).layout).toBe('packet');
    await complete(officer, task, { correctionNote: '已补充抽样检验报告原件' });

    task = await openStep(caseId, 'accept');
    await complete(legal, task, { complete: true });

    task = await openStep(caseId, 'review');
    const review = await formLayout(reviewer, task);
    expect(review.layout).toBe('review');
    expect(review.body.match(/<tr class="point/g)).toHaveLength(11);
    const filtered = await t.app.inject({
      url: '/tasks?step=review',
      headers: html,
      cookies: { fashen_session: reviewer.token },
    });
    expect(filtered.body).toContain(`/tasks/${task}`);
    const otherStep = await t.app.inject({
      url: '/tasks?step=accept',
      headers: html,
      cookies: { fashen_session: reviewer.token },
    });
    expect(otherStep.body).not.toContain(`/tasks/${task}`);
    await complete(reviewer, task, { ...reviewForm('退回补正', '证据不足。'), suggestions: '补充检验机构资质证明' });

    task = await openStep(caseId, 'correct');
    const correct = await formLayout(officer, task);
    expect(correct.layout).toBe('packet');
    expect(correct.body).toContain('审核意见：');
    expect(correct.body).toContain('补充检验机构资质证明');
    await complete(officer, task, { correctionNote: '已补充检验机构资质证明' });

    task = await openStep(caseId, 'review');
    await complete(reviewer, task, reviewForm('不同意', '裁量明显不当。'));

    task = await openStep(caseId, 'contest');
    expect((await formLayout(officer, task)).layout).toBe('contest');
    await complete(officer, task, { contest: true, contestReasons: '裁量符合基准。' });

    task = await openStep(caseId, 'rereview');
    expect((await formLayout(reviewer, task)).layout).toBe('rereview');
    await complete(reviewer, task, rereviewForm(true));

    task = await openStep(caseId, 'coordinate');
    expect((await formLayout(legal, task)).layout).toBe('coordinate');
    await complete(legal, task, {
      ...coordinationHeld(),
      handlingPosition: '拟按一倍罚款',
      reviewPosition: '应按最低幅度',
      outcome: '未达成一致（报请负责人决定）',
      coordinationNote: '双方未能达成一致，提请负责人决定。',
      participants: '张三 执法科 科长\n李四 法规科 科长',
    });

    task = await openStep(caseId, 'chief_decision');
    expect((await formLayout(chief, task)).layout).toBe('chief');
    // The chief's override without reasons is refused next to the reasons field, as on the shipped process.
    const { cookies, token } = await openPage(t, chief, `/tasks/${task}`);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/tasks/${task}`,
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      cookies,
      payload: new URLSearchParams({ _csrf: token, decision: '同意作出决定' }).toString(),
    });
    expect(refused.statusCode).toBe(400);
    expect(/id="err-decisionReasons"[^>]*>([^<]*)</.exec(refused.body)?.[1]).toContain('必须书面说明理由');
    await complete(chief, task, {
      decision: '同意作出决定',
      decisionReasons: '当事人系初次违法，按基准中档处罚适当。',
    });

    task = await openStep(caseId, 'record_decision');
    expect((await formLayout(officer, task)).layout).toBe('record');
    await complete(officer, task, {
      decisionNumber: '市监罚〔2026〕31号',
      decisionDate: today(),
      decisionContent: '没收不合格产品，并处罚款六万四千元。',
    });
    expect((await caseOf(t, officer, caseId)).status).toBe('decided');

    // Both review rounds count in the figures: the statistics and the legal unit's dashboard.
    const spans = await reviewSpans(t.db, departmentId, new Date(Date.now() - 86_400_000));
    expect(spans.reduce((n, s) => n + s.count, 0)).toBe(2);
    const dashboard = await t.app.inject({ url: '/legal', headers: html, cookies: { fashen_session: legal.token } });
    expect(dashboard.body).toMatch(/已完成审核<\/dt><dd>2 次/);
  });
});
