import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import { caseOf, completeStep, documentText, FACTS, openTask, packet, reviewForm, today } from './helpers/review.js';

// What the 事先告知书, 听证通知书 and 送达回证 say, and when the notices may be served.
// November 2026 has no holidays: 11/2 is a Monday; 12/13 is a Sunday.
const clock = manualClock('2026-11-02T09:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let colleague: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;
let presider: TestUser;
let investigator: TestUser;
let outsider: TestUser;
let lighterItemId: string;

const rename = (u: TestUser, name: string) =>
  t.db.updateTable('users').set({ display_name: name }).where('id', '=', u.id).execute();

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  const other = await t.newDepartment({ name: '另一执法机关' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  colleague = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  presider = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  investigator = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  outsider = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  await rename(officer, '张执法');
  await rename(presider, '陈静');
  await rename(investigator, '王五');
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const item = await t.app.inject({
    method: 'POST',
    url: `/api/departments/${d.id}/discretion-benchmarks`,
    headers: t.as(legal),
    payload: {
      code: 'CP-101',
      violation: '销售不合格产品',
      ranges: [{ circumstance: 'lighter', kind: 'fixed', min: 30000, max: 70000 }],
    },
  });
  expect(item.statusCode, item.body).toBe(201);
  lighterItemId = item.json().id;
});
afterAll(() => t.close());

const flat = (s: string) => s.replace(/\s+/g, '');
const between = (s: string, from: string, to: string) => s.slice(s.indexOf(from), s.indexOf(to, s.indexOf(from)));

const event = (caseId: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/stages/events`, headers: t.as(officer), payload: body });

async function ok(caseId: string, body: Record<string, unknown>) {
  const res = await event(caseId, body);
  if (res.statusCode !== 201) throw new Error(`${body.type}: ${res.statusCode} ${res.body}`);
  return res.json() as { eventId: string; stageId: string };
}

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(overrides), facts: FACTS },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().caseId as string;
}

async function reviewed(caseId: string, chiefForm: Record<string, unknown> = { decision: '同意作出决定' }) {
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', chiefForm);
}

async function recordDecision(caseId: string) {
  const task = await openTask(t, officer, caseId, 'Task_record_decision');
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/complete`,
    headers: t.as(officer),
    payload: {
      decisionNumber: '市监罚〔2026〕41号',
      decisionDate: today(clock.now()),
      decisionContent: '没收不合格产品，并处罚款六万四千元。',
    },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** 立案 → 审核 → 负责人同意 → 告知 (with the hearing right) → 当事人要求听证: the case awaits the hearing notice. */
async function awaitingHearingNotice(overrides: Record<string, unknown> = {}) {
  clock.set('2026-11-02T09:00:00+08:00');
  const caseId = await submit(overrides);
  await ok(caseId, { type: 'filed', date: '2026-11-02' });
  await reviewed(caseId);
  await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: true });
  clock.set('2026-11-04T10:00:00+08:00');
  await ok(caseId, { type: 'hearing_requested', date: '2026-11-04' });
  return caseId;
}

const hearingNotice = {
  type: 'hearing_notified',
  date: '2026-11-04',
  hearingDate: '2026-11-13',
  hearingTime: '14:30',
  place: '第一听证室',
};

describe('the penalty the party is told of and heard on', () => {
  it('is the one the chief modified (修改后作出决定), with the 裁量情节 among the reasons', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    const caseId = await submit({
      discretion: {
        benchmark: '本局行政处罚裁量基准 CP-101',
        position: '从轻幅度内',
        benchmarkItemId: lighterItemId,
        circumstance: 'lighter',
      },
    });
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await reviewed(caseId, {
      decision: '修改后作出决定',
      decisionReasons: '当事人主动召回部分产品，罚款按从轻情节下调。',
      modifiedDecision: '没收不合格产品，并处罚款五万元。',
    });
    const notice = await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: true });

    const text = flat(await documentText(t, officer, caseId, 'penalty_notice'));
    const proposal = between(text, '四、拟作出的行政处罚', '五、');
    expect(proposal).toContain('没收不合格产品，并处罚款五万元。');
    expect(proposal).not.toContain('六万四千元');
    const reasons = between(text, '二、理由', '三、依据');
    expect(reasons).toContain('本局行政处罚裁量基准CP-101；裁量情节：从轻；从轻幅度内');
    const stages = (await t.app.inject({ url: `/api/cases/${caseId}/stages`, headers: t.as(officer) })).json();
    expect(stages.stages.find((s: { id: string }) => s.id === notice.stageId).details.proposal).toBe(
      '没收不合格产品，并处罚款五万元。',
    );

    clock.set('2026-11-04T10:00:00+08:00');
    await ok(caseId, { type: 'hearing_requested', date: '2026-11-04' });
    await ok(caseId, { ...hearingNotice, presiderId: presider.id });
    const hearing = flat(await documentText(t, officer, caseId, 'hearing_notice'));
    expect(hearing).toContain('拟作出的行政处罚：没收不合格产品，并处罚款五万元');
    expect(hearing).not.toContain('六万四千元');
  });
});

describe('the hearing notice', () => {
  it('names a presider identified among the agency staff, never one of the case investigators', async () => {
    const caseId = await awaitingHearingNotice({ officerIds: [officer.id, colleague.id] });
    await ok(caseId, { type: 'stage_opened', kind: 'investigation', date: '2026-11-02', actors: ['王五', '赵六'] });
    const refused = async (body: Record<string, unknown>, field: string, says: string) => {
      const res = await event(caseId, { ...hearingNotice, ...body });
      expect(res.statusCode, res.body).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(says);
      expect(error.details.field).toBe(field);
    };
    // A name alone cannot be checked: the presider is chosen by id.
    await refused({ presider: '张执法' }, 'presiderId', '听证主持人');
    await refused({ presiderId: officer.id }, 'presiderId', '第六十四条第（四）项');
    await refused({ presiderId: colleague.id }, 'presiderId', '承办执法人员');
    await refused({ presiderId: investigator.id }, 'presiderId', '调查取证');
    await refused({ presiderId: outsider.id }, 'presiderId', '本机关');
    await refused({ presiderId: presider.id, presider: '李四' }, 'presider', '陈静');

    // The stage panel offers only those who may preside.
    const page = (await (await pageSession(t, officer)).get(`/cases/${caseId}/stages`)).body;
    expect(page).toContain(`<option value="${presider.id}">陈静`);
    for (const u of [officer, colleague, investigator, outsider]) expect(page).not.toContain(`value="${u.id}"`);

    await ok(caseId, { ...hearingNotice, presiderId: presider.id });
    const text = flat(await documentText(t, officer, caseId, 'hearing_notice'));
    expect(text).toContain('本次听证由本机关指定的非本案调查人员陈静主持');
  });

  it('states the hour of the hearing, which the notice must give (第六十四条第（二）项)', async () => {
    const caseId = await awaitingHearingNotice();
    const { hearingTime: _, ...untimed } = hearingNotice;
    const res = await event(caseId, { ...untimed, presiderId: presider.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'hearingTime' } });
    expect(res.json().error.message).toContain('“举行听证时刻”（hearingTime）为必填项');
    const form = await (await pageSession(t, officer)).post(`/cases/${caseId}/stages`, {
      ...untimed,
      presiderId: presider.id,
    });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('举行听证时刻');

    await ok(caseId, { ...hearingNotice, presiderId: presider.id });
    const text = flat(await documentText(t, officer, caseId, 'hearing_notice'));
    expect(text).toContain('时间：2026年11月13日14:30');
  });
});

describe('the service of the notices', () => {
  it('is recorded from the day a notice was issued, before the decision; the decision is served after it', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await reviewed(caseId);
    clock.set('2026-11-04T09:00:00+08:00');
    await ok(caseId, { type: 'notice_served', date: '2026-11-04', hearingRight: false, statementWorkingDays: 3 });
    const notice = (await caseOf(t, officer, caseId)).documents.find(
      (d: { kind: string }) => d.kind === 'penalty_notice',
    );
    const serve = (date: string, servedDocuments: string[]) =>
      event(caseId, { type: 'served', date, method: 'direct', recipient: '张三', servedDocuments });

    const early = await serve('2026-11-03', [notice.id]);
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details).toMatchObject({ field: 'date', issuedOn: '2026-11-04' });
    expect(early.json().error.message).toContain('出具日期（2026-11-04）');
    const decisionFirst = await serve('2026-11-04', ['decision']);
    expect(decisionFirst.statusCode).toBe(409);
    expect(decisionFirst.json().error.message).toContain('尚未作出决定');

    // The panel offers the 送达 of the notice before the decision.
    const page = (await (await pageSession(t, officer)).get(`/cases/${caseId}/stages`)).body;
    expect(page).toContain('id="served-form"');
    expect(page).toContain(`name="servedDocuments" value="${notice.id}"`);

    const served = await serve('2026-11-04', [notice.id]);
    expect(served.statusCode, served.body).toBe(201);
    const receipt = flat(await documentText(t, officer, caseId, 'service_receipt'));
    expect(receipt).toContain(`行政处罚事先告知书（${notice.number}）`);
    expect(receipt).toContain('送达日期2026年11月4日');
    // No place recorded: served at the party's 住所.
    expect(receipt).toContain('送达地点盐城市亭湖区某路1号');
    expect(receipt).not.toContain('行政处罚决定书');

    clock.set('2026-11-10T09:00:00+08:00');
    await recordDecision(caseId);
    // Serving the notice did not serve the decision.
    const archive = await event(caseId, { type: 'archived', date: '2026-11-10' });
    expect(archive.statusCode).toBe(409);
    expect(archive.json().error.message).toContain('决定书尚未送达');
    const beforeDecision = await serve('2026-11-09', ['decision']);
    expect(beforeDecision.statusCode).toBe(400);
    expect(beforeDecision.json().error.details.field).toBe('date');
    expect((await serve('2026-11-10', ['decision'])).statusCode).toBe(201);
    expect((await event(caseId, { type: 'archived', date: '2026-11-10' })).statusCode).toBe(201);
  });
});

describe('公告送达', () => {
  it('states the day of publication and the day it counts as served, thirty days on (民事诉讼法第九十五条)', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await reviewed(caseId);
    await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: false, statementWorkingDays: 3 });
    clock.set('2026-11-06T09:00:00+08:00');
    await recordDecision(caseId);
    clock.set('2026-11-16T09:00:00+08:00');
    const publish = (date: string) =>
      ok(caseId, { type: 'served', date, method: 'public_notice', servedDocuments: ['decision'] });

    // Published Monday 11/16: thirty days on is Wednesday 12/16.
    await publish('2026-11-16');
    const receipt = flat(await documentText(t, officer, caseId, 'service_receipt', 0));
    expect(receipt).toContain('公告发出日期2026年11月16日');
    expect(receipt).toContain('视为送达日期2026年12月16日');
    expect(receipt).not.toMatch(/(?<!视为)送达日期2026年11月16日/);
    expect(receipt).toContain('自发出公告之日起经过三十日视为送达（民事诉讼法第九十五条）');
    expect(receipt).not.toContain('第八十五条');

    // Published Friday 11/13: the thirtieth day is Sunday 12/13, so the period ends on Monday 12/14 (第八十五条).
    const second = await publish('2026-11-13');
    const rolled = flat(await documentText(t, officer, caseId, 'service_receipt', 1));
    expect(rolled).toContain('公告发出日期2026年11月13日');
    expect(rolled).toContain('视为送达日期2026年12月14日');
    expect(rolled).toContain('民事诉讼法第八十五条');
    const stages = (await t.app.inject({ url: `/api/cases/${caseId}/stages`, headers: t.as(officer) })).json();
    expect(stages.stages.find((s: { id: string }) => s.id === second.stageId).details.deemedServedOn).toBe(
      '2026-12-14',
    );
    expect(rolled).not.toContain('尚未载入');

    // A thirtieth day in a year with no holiday notice loaded (2029) is counted over weekends only, and says so.
    clock.set('2029-06-01T09:00:00+08:00');
    await publish('2029-06-01');
    const provisional = flat(await documentText(t, officer, caseId, 'service_receipt', 2));
    expect(provisional).toContain('视为送达日期2029年7月2日');
    expect(provisional).toContain('该年度节假日安排尚未载入，视为送达日期暂仅按双休日顺延');
  });
});
