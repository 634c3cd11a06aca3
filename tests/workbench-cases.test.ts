import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { packetForm, pageSession } from './helpers/pages.js';
import {
  caseOf,
  completeStep,
  coordinationHeld,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
} from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;
let reviewer1: TestUser;
let reviewer2: TestUser;
let chief: TestUser;
let foreign: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  const other = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  reviewer1 = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  reviewer2 = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  foreign = await t.newUser({ departmentId: other.id, roles: ['officer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

/**
 * Inputs a screen reader could not name: a visible input needs a <label for> its id, or must sit inside a
 * <label> (radios and checkboxes here do).
 */
function unlabelled(html: string): string[] {
  const out: string[] = [];
  const body = html.replace(/<template[\s\S]*?<\/template>/g, '');
  for (const m of body.matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
    const attrs = m[2];
    if (/type="hidden"/.test(attrs)) continue;
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    const wrapped = body.lastIndexOf('<label', m.index) > body.lastIndexOf('</label>', m.index);
    if (wrapped || (id && body.includes(`for="${id}"`))) continue;
    out.push(m[0]);
  }
  return out;
}

/** The text of an element with this id in a page (enough to read a field's message). */
function textOf(html: string, id: string): string {
  const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return m ? m[1].trim() : '';
}

/** Submits a case through the API and returns its id (for tests about later steps). */
async function submitted(overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(overrides), facts: FACTS },
  });
  return res.json().caseId as string;
}

async function underReview() {
  const caseId = await submitted();
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  const c = await caseOf(t, legal, caseId);
  return { caseId, reviewer: [reviewer1, reviewer2].find((r) => r.id === c.reviewerId)! };
}

describe('the packet form (/cases/new)', () => {
  it('labels every input and explains the catalogue before submitting', async () => {
    const page = await (await pageSession(t, officer)).get('/cases/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>送审</h1>');
    expect(unlabelled(page.body)).toEqual([]);
    expect(page.body).toContain('自愿申请法制审核');
  });

  it('shows a message next to each field that is missing or wrong, and keeps what was typed', async () => {
    const s = await pageSession(t, officer);
    await s.get('/cases/new');
    const res = await s.post('/cases/new', packetForm({ title: '', partyIdCode: '12', basisArticle: [''] }));
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body, 'err-title')).toBe('请填写案件名称');
    expect(textOf(res.body, 'err-partyIdCode')).toContain('8 至 30 位字母或数字');
    expect(textOf(res.body, 'err-basisArticle-0')).toBe('请填写条款');
    expect(res.body).toContain('value="某某贸易有限公司"');
    expect(res.body).toContain('本案属于重大执法决定：行政处罚');
  });

  it('submits the case and opens its page with the catalogue item and the acceptance step', async () => {
    const s = await pageSession(t, officer);
    await s.get('/cases/new');
    const form = packetForm();
    const res = await s.post('/cases/new', form);
    expect(res.statusCode).toBe(303);
    const page = await s.get(res.headers.location as string);
    expect(page.body).toContain('已送审');
    expect(page.body).toContain('本案属于重大执法决定：行政处罚 — 对法人或者其他组织处以五万元以上罚款');
    expect(page.body).toContain('受理审查（材料是否齐全）');
    expect(page.body).toContain('抽样检验报告（检验结论：不合格）');
  });

  it('answers a script with field errors as JSON, and a taken case number next to that field', async () => {
    const s = await pageSession(t, officer);
    await s.get('/cases/new');
    const form = packetForm();
    expect((await s.post('/cases/new', form)).statusCode).toBe(303);
    await s.get('/cases/new');
    const again = await s.post('/cases/new', form, { accept: 'application/json' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors.caseNumber).toContain('已送审');
  });

  it('saves a draft and restores it on the next visit', async () => {
    const s = await pageSession(t, officer);
    await s.get('/cases/new');
    const saved = await s.post('/cases/new/draft', { title: '草稿中的案件', evidenceName: ['询问笔录'] });
    expect(saved.statusCode).toBe(303);
    const page = await s.get('/cases/new');
    expect(page.body).toContain('保存的草稿');
    expect(page.body).toContain('value="草稿中的案件"');
    expect(page.body).toContain('value="询问笔录"');
  });

  it('refuses a form without its CSRF token', async () => {
    const s = await pageSession(t, officer);
    const res = await t.app.inject({
      method: 'POST',
      url: '/cases/new',
      cookies: s.cookies,
      headers: { accept: 'text/html' },
      payload: packetForm(),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the case list and case page', () => {
  it('lists the department’s cases, searchable by number and filtered by status', async () => {
    const caseId = await submitted({ caseNumber: 'FIND-ME-001' });
    const s = await pageSession(t, chief);
    const found = await s.get('/cases?q=FIND-ME');
    expect(found.body).toContain(`/cases/${caseId}`);
    const filtered = await s.get('/cases?q=FIND-ME&status=decided');
    expect(filtered.body).toContain('没有符合条件的案件');
    expect((await (await pageSession(t, foreign)).get('/cases?q=FIND-ME')).body).not.toContain(caseId);
  });

  it('previews an image attachment through the Range-capable attachment address', async () => {
    const caseId = await submitted();
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    );
    const boundary = 'x-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="现场照片.png"\r\n`),
      Buffer.from('content-type: image/png\r\n\r\n'),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/attachments`,
      headers: { ...t.as(officer), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(up.statusCode).toBe(201);
    const page = await (await pageSession(t, officer)).get(`/cases/${caseId}`);
    const id = up.json().items[0].id;
    expect(page.body).toContain(`<img src="/api/cases/${caseId}/attachments/${id}" alt="现场照片.png"`);
    expect(page.body).toContain('上传所选文件');
    expect(unlabelled(page.body)).toEqual([]);
  });

  it('serves the process diagram with a generated layout and marks the current step', async () => {
    const caseId = await submitted();
    const s = await pageSession(t, legal);
    const page = await s.get(`/cases/${caseId}`);
    expect(page.body).toContain('data-current="[&quot;Task_accept&quot;]"');
    const xml = await s.get(`/cases/${caseId}/diagram.bpmn`);
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.body).toContain('BPMNShape');
  });

  it('records the decision of a case outside the catalogue on its page, with messages next to the fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet({ proposedDecision: '罚款二千元。' }), facts: { ...FACTS, amount: 2000 } },
    });
    const caseId = res.json().caseId as string;
    const s = await pageSession(t, officer);
    const page = await s.get(`/cases/${caseId}`);
    expect(page.body).toContain('未命中目录清单，可自愿申请法制审核');
    expect(page.body).toContain(`action="/cases/${caseId}/decision"`);
    const refused = await s.post(`/cases/${caseId}/decision`, {
      number: '',
      date: '2026-11-25',
      content: '罚款二千元',
    });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body, 'err-number')).toBe('请填写决定书文号');
    const ok = await s.post(`/cases/${caseId}/decision`, {
      number: '市监罚〔2026〕3号',
      date: '2026-11-25',
      content: '罚款二千元',
    });
    expect(ok.statusCode).toBe(303);
    const decided = await s.get(ok.headers.location as string);
    expect(decided.body).toContain('已记录执法决定');
    expect(decided.body).toContain('市监罚〔2026〕3号');
  });

  it('shows another department’s case as not found', async () => {
    const caseId = await submitted();
    const res = await (await pageSession(t, foreign)).get(`/cases/${caseId}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('送审案件不存在');
  });
});

describe('the step forms (/tasks/:id)', () => {
  it('acceptance: checks the catalogue materials and asks for the missing list when incomplete', async () => {
    const caseId = await submitted({ materials: ['案件调查终结报告'] });
    const task = await openTask(t, legal, caseId, 'Task_accept');
    const s = await pageSession(t, legal);
    const page = await s.get(`/tasks/${task.id}`);
    expect(page.body).toContain('送审材料核对');
    expect(page.body).toContain('拟作出的行政执法决定书（代拟稿）');
    expect(page.body).toContain('承办机构未列明');
    const refused = await s.post(`/tasks/${task.id}`, {
      complete: 'false',
      checklist: ['案件调查终结报告'],
      material: ['案件调查终结报告'],
    });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body, 'err-missing')).toContain('请列明需要补充的材料');
    const done = await s.post(`/tasks/${task.id}`, {
      complete: 'false',
      checklist: ['拟作出的行政执法决定书（代拟稿）', '案件调查终结报告'],
      material: ['案件调查终结报告'],
    });
    expect(done.statusCode).toBe(303);
    const c = await caseOf(t, officer, caseId);
    expect(c.status).toBe('completing');
  });

  it('review: the eleven points of 118号, a draft restored on reload, and 同意 refused next to the conclusion when a point fails', async () => {
    const { caseId, reviewer } = await underReview();
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const s = await pageSession(t, reviewer);
    const page = await s.get(`/tasks/${task.id}`);
    expect(page.body.match(/<tr class="point/g)).toHaveLength(11);
    expect(unlabelled(page.body)).toEqual([]);
    const draft = await s.post(
      `/tasks/${task.id}/draft`,
      { finding_subject: '符合', note_facts: '事实部分待核' },
      { accept: 'application/json' },
    );
    expect(draft.statusCode).toBe(200);
    const reloaded = await s.get(`/tasks/${task.id}`);
    expect(reloaded.body).toMatch(/name="finding_subject" value="符合" checked/);
    expect(reloaded.body).toContain('事实部分待核');
    const form = { ...reviewForm('同意'), finding_evidence: '不符合', note_evidence: '缺少检验机构资质证明' };
    const refused = await s.post(`/tasks/${task.id}`, form as Record<string, string>);
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body, 'err-conclusion')).toContain('不能为“同意”');
    expect(refused.body).toContain('缺少检验机构资质证明');
  });

  it('review: a missing finding is reported next to its point', async () => {
    const { caseId, reviewer } = await underReview();
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const s = await pageSession(t, reviewer);
    await s.get(`/tasks/${task.id}`);
    const { finding_law: _, ...form } = reviewForm('同意') as Record<string, string>;
    const res = await s.post(`/tasks/${task.id}`, form);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body, 'err-finding_law')).toBe('“适用法律、法规、规章准确”为必填项');
  });

  it('correction: the packet is edited on the step’s page and resubmitted as the next round', async () => {
    const { caseId, reviewer } = await underReview();
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '证据不足。'),
      suggestions: '补充检验机构资质证明',
    });
    const task = await openTask(t, officer, caseId, 'Task_correct');
    const s = await pageSession(t, officer);
    const page = await s.get(`/tasks/${task.id}`);
    expect(page.body).toContain('补充检验机构资质证明');
    expect(page.body).toContain('保存修改并再次报送');
    expect(unlabelled(page.body)).toEqual([]);
    const c = await caseOf(t, officer, caseId);
    const form = packetForm({
      caseNumber: c.caseNumber,
      evidenceName: ['现场检查笔录', '抽样检验报告', '检验机构资质证明'],
      evidenceDescription: ['', '检验结论：不合格', ''],
      officerIds: [officer.id],
    });
    const blank = await s.post(`/tasks/${task.id}`, { ...form, title: '', correctionNote: '已补充' });
    expect(blank.statusCode).toBe(400);
    expect(textOf(blank.body, 'err-title')).toBe('请填写案件名称');
    const ok = await s.post(`/tasks/${task.id}`, { ...form, correctionNote: '已补充检验机构资质证明' });
    expect(ok.statusCode).toBe(303);
    const casePage = await s.get(`/cases/${caseId}`);
    expect(casePage.body).toContain('第 2 轮');
    expect(casePage.body).toContain('<ins>检验机构资质证明</ins>');
    expect(casePage.body).toContain('已补充检验机构资质证明');
  });

  it('review: a second round’s empty notes stay empty rather than repeating the first round’s', async () => {
    const { caseId, reviewer } = await underReview();
    const s = await pageSession(t, reviewer);
    const first = await openTask(t, reviewer, caseId, 'Task_review');
    await s.get(`/tasks/${first.id}`);
    const returned = {
      ...(reviewForm('退回补正', '证据不足。') as Record<string, string>),
      finding_evidence: '不符合',
      note_evidence: '缺少资质证明',
      suggestions: '补充资质证明',
    };
    expect((await s.post(`/tasks/${first.id}`, returned)).statusCode).toBe(303);
    await completeStep(t, officer, caseId, 'Task_correct', { correctionNote: '已补充' });
    const second = await openTask(t, reviewer, caseId, 'Task_review');
    await s.get(`/tasks/${second.id}`);
    const approved = { ...(reviewForm('同意') as Record<string, string>), suggestions: '' };
    expect((await s.post(`/tasks/${second.id}`, approved)).statusCode).toBe(303);
    const c = await caseOf(t, officer, caseId);
    const evidence = c.opinions[1].findings.find((f: { point: string }) => f.point === 'evidence');
    expect(evidence).toMatchObject({ finding: 'conform', note: '' });
    expect(c.opinions[1].suggestions).toBeNull();
  });

  it('chief: the page explains that an override needs reasons, and refuses one without them', async () => {
    const { caseId, reviewer } = await underReview();
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('不同意', '裁量明显不当。'));
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '裁量符合基准。' });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...coordinationHeld(),
      handlingPosition: '拟按一倍罚款',
      reviewPosition: '应按最低幅度',
      outcome: '未达成一致（报请负责人决定）',
      coordinationNote: '双方未能达成一致，提请负责人决定。',
      participants: '张三 执法科 科长',
    });
    const task = await openTask(t, chief, caseId, 'Task_chief_decision');
    const s = await pageSession(t, chief);
    const page = await s.get(`/tasks/${task.id}`);
    expect(page.body).toContain('必须<b>书面说明理由（不少于10个字）</b>');
    expect(page.body).toContain('data-overrides="法制审核意见"');
    expect(unlabelled(page.body)).toEqual([]);
    const refused = await s.post(`/tasks/${task.id}`, { decision: '同意作出决定' });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body, 'err-decisionReasons')).toContain('必须书面说明理由');
    const ok = await s.post(`/tasks/${task.id}`, {
      decision: '同意作出决定',
      decisionReasons: '当事人系初次违法且货值较大，按基准中档处罚适当。',
    });
    expect(ok.statusCode).toBe(303);
    const casePage = await s.get(`/cases/${caseId}`);
    expect(casePage.body).toContain('本决定不同于法制审核意见');
  });

  it('a task someone else holds is shown read-only', async () => {
    const { caseId, reviewer } = await underReview();
    const other = reviewer.id === reviewer1.id ? reviewer2 : reviewer1;
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const s = await pageSession(t, other);
    const page = await s.get(`/tasks/${task.id}`);
    expect(page.body).toContain('此任务已由他人签收');
    expect(page.body).not.toContain('id="task-form"');
    const post = await s.post(`/tasks/${task.id}`, reviewForm('同意') as Record<string, string>);
    // As the API answers: the task is someone else's (409 TASK_ASSIGNED_TO_OTHER), not a missing permission.
    expect(post.statusCode).toBe(409);
    expect(post.body).toContain('data-error-code="TASK_ASSIGNED_TO_OTHER"');
  });

  it('a step completed meanwhile (in another tab) is answered 409 with the reason on the page', async () => {
    const { caseId, reviewer } = await underReview();
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const s = await pageSession(t, reviewer);
    await s.get(`/tasks/${task.id}`);
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    const again = await s.post(`/tasks/${task.id}`, reviewForm('同意') as Record<string, string>);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('此任务已办结');
  });

  it('extension: the reviewer asks for more working days and the chief approves on the case page', async () => {
    const { caseId, reviewer } = await underReview();
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const r = await pageSession(t, reviewer);
    await r.get(`/tasks/${task.id}`);
    const empty = await r.post(`/tasks/${task.id}/extension`, { workingDays: '3', reason: '' });
    expect(empty.statusCode).toBe(400);
    expect(textOf(empty.body, 'err-reason')).toBe('请写明申请延期的理由');
    const asked = await r.post(`/tasks/${task.id}/extension`, { workingDays: '3', reason: '需要补充调取检验记录' });
    expect(asked.statusCode).toBe(303);
    const c = await pageSession(t, chief);
    const casePage = await c.get(`/cases/${caseId}`);
    const ext = /action="\/extensions\/([0-9a-f-]+)\/decision"/.exec(casePage.body)![1];
    const decided = await c.post(`/extensions/${ext}/decision`, { approved: 'true', back: `/cases/${caseId}` });
    expect(decided.statusCode).toBe(303);
    expect(decided.headers.location).toBe(`/cases/${caseId}?flash=extension_approved`);
    expect((await c.get(decided.headers.location as string)).body).toContain('批准延期');
  });
});
