import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { html, pageSession } from './helpers/pages.js';
import { caseOf, completeStep, documentText, FACTS, packet, reviewForm, today } from './helpers/review.js';

// A Wednesday in Beijing. A 3-day limit that ends on a rest day moves to the next working day (民法典 第二百零三条).
const clock = manualClock('2026-12-02T10:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let teammate: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let deputy: TestUser;
let legal: TestUser;
let departmentId: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment({ name: '盐城市市场监督管理局' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  teammate = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'], position: '局长' });
  deputy = await t.newUser({ departmentId: d.id, roles: ['chief'], position: '副局长' });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  departmentId = d.id;
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  await setLeaders(chief);
});

/** The leadership list, naming its 正职负责人或者主持工作的负责人 (who approves transfers) when `presiding` is given. */
async function setLeaders(presiding: TestUser | null) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/departments/${departmentId}/leaders`,
    headers: t.as(legal),
    payload: {
      leaders: [
        { userId: chief.id, position: '局长', presiding: presiding?.id === chief.id },
        { userId: deputy.id, position: '副局长', presiding: presiding?.id === deputy.id },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
afterAll(() => t.close());

const post = (user: TestUser, caseId: string, path: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/transfer${path}`, headers: t.as(user), payload });

async function ok(user: TestUser, caseId: string, path: string, payload: Record<string, unknown>) {
  const res = await post(user, caseId, path, payload);
  if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  return res.json().transfer;
}

/** A case whose review recommends a transfer and whose chief decided to transfer it. */
async function transferredCase() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  const caseId = res.json().caseId as string;
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', {
    ...reviewForm('建议移送司法机关', '当事人销售金额已达刑事立案追诉标准。'),
    finding_crime_transfer: '是（需移送）',
    note_crime_transfer: '涉嫌销售伪劣产品罪，销售金额超过五万元',
  });
  await completeStep(t, chief, caseId, 'Task_chief_decision', {
    decision: '移送司法机关',
    decisionReasons: '同意法制审核意见，本案涉嫌犯罪，依法移送公安机关。',
  });
  return caseId;
}

const report = () => ({
  policeOrgan: '盐城市公安局亭湖分局',
  procuratorate: '盐城市亭湖区人民检察院',
  teamIds: [officer.id, teammate.id],
  reasons: '当事人销售不合格产品，销售金额六万四千元，已达刑事立案追诉标准，涉嫌销售伪劣产品罪。',
  evidence: [
    { name: '涉嫌犯罪案件情况的调查报告', quantity: '1份' },
    { name: '涉案物品清单', quantity: '1份', note: '电热水壶320台已查封' },
    { name: '抽样检验报告', quantity: '2份' },
  ],
});

const timersOf = (transferId: string) =>
  t.db
    .selectFrom('timers')
    .select(['id', 'kind', 'status', 'due_at'])
    .where('execution_id', 'like', `%:${transferId}`)
    .orderBy('created_at')
    .execute();

describe('移送涉嫌犯罪案件', () => {
  it('goes from report to a refusal by the public security organ, a 复议, and back to the agency, which decides', {
    timeout: 90_000,
  }, async () => {
    clock.set('2026-12-02T10:00:00+08:00');
    const caseId = await transferredCase();
    expect((await caseOf(t, officer, caseId)).status).toBe('transferred');
    // The review's crime point leads into the procedure: the transfer is due and its report prefilled from the case.
    const { due, draft } = (
      await t.app.inject({ url: `/api/cases/${caseId}/transfer/draft`, headers: t.as(officer) })
    ).json();
    expect(due).toMatchObject({ state: 'due', crime: { note: '涉嫌销售伪劣产品罪，销售金额超过五万元' } });
    expect(due.text).toContain('第五条第一款');
    expect(draft.reasons).toContain('销售不合格电热水壶共计320台');
    expect(draft.reasons).toContain('涉嫌销售伪劣产品罪');
    expect(draft.evidence.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['涉嫌犯罪案件情况的调查报告', '现场检查笔录', '抽样检验报告']),
    );
    expect(draft.teamIds).toEqual([officer.id]);
    const duePage = (await (await pageSession(t, officer)).get(`/cases/${caseId}`)).body;
    expect(duePage).toContain('应当移送：');
    expect(duePage).toMatch(/<textarea id="tr-reasons"[^>]*>经查：[^<]*涉嫌销售伪劣产品罪/);

    const lone = await post(officer, caseId, '', { ...report(), teamIds: [officer.id, reviewer.id] });
    expect(lone.statusCode).toBe(400);
    expect(lone.json().error.message).toContain('第五条第一款');
    const reported = await ok(officer, caseId, '', report());
    expect(reported).toMatchObject({ status: 'reported', limit: { step: 'approval', party: 'agency' } });
    expect(reported.limit.text).toContain('第五条第二款');
    // Reported on Wednesday: the third day is Saturday, so the chief's limit ends on Monday.
    expect(reported.limit.dueAt).toBe(new Date('2026-12-07T23:59:59+08:00').toISOString());

    expect((await post(officer, caseId, '/decision', { approve: true })).statusCode).toBe(403);
    // 第五条: the 正职负责人或者主持工作的负责人 decides — nobody while the list names no one, never a deputy.
    await setLeaders(null);
    const unnamed = await post(chief, caseId, '/decision', { approve: true });
    expect(unnamed.statusCode).toBe(409);
    expect(unnamed.json().error).toMatchObject({ code: 'PREREQUISITE_MISSING' });
    expect(unnamed.json().error.message).toContain('正职负责人或者主持工作的负责人');
    const list = await setLeaders(chief);
    expect(list.leaders.map((l: { presiding: boolean }) => l.presiding)).toEqual([true, false]);
    const byDeputy = await post(deputy, caseId, '/decision', { approve: false, note: '证据不足。' });
    expect(byDeputy.statusCode).toBe(403);
    expect(byDeputy.json().error.message).toContain('（局长）审批');
    clock.set('2026-12-03T09:00:00+08:00');
    const approved = await ok(chief, caseId, '/decision', { approve: true, note: '同意移送。' });
    expect(approved).toMatchObject({ status: 'approved', limit: { step: 'send' } });
    expect(approved.limit.dueAt).toBe(new Date('2026-12-04T09:00:00+08:00').toISOString());

    const text = await documentText(t, officer, caseId, 'transfer_notice');
    expect(text).toContain('涉嫌犯罪案件移送书');
    expect(text).toMatch(/盐城市公安局亭湖分局：/);
    expect(text).toContain('抄送：盐城市亭湖区人民检察院');
    expect(text).toContain('经本机关负责人于2026年12月3日批准');
    expect(text).toContain('电热水壶320台已查封');
    // The organ is told who the party is: name, code and address, as the case states them.
    const flatText = text.replace(/\s+/g, '');
    expect(flatText).toContain('当事人某某贸易有限公司证照号码91320900MA1XXXXX0X住所或地址盐城市亭湖区某路1号');

    clock.set('2026-12-03T15:00:00+08:00');
    // The case page's form for the step at hand: recorded, and back to the case.
    const browser = await pageSession(t, officer);
    expect((await browser.get(`/cases/${caseId}`)).body).toContain('向公安机关移送（批准后24小时内，第五条第二款）');
    const sent = await browser.post(`/cases/${caseId}/transfer/delivery`, { method: '专人送达' });
    expect(sent.statusCode).toBe(303);
    const received = await ok(officer, caseId, '/receipt', { receiver: '张警官' });
    expect(received).toMatchObject({ status: 'received', limit: { step: 'police_decision', party: 'police' } });
    expect(received.limit.dueAt).toBe(new Date('2026-12-07T23:59:59+08:00').toISOString()); // Sunday → Monday

    // 第七条: the organ is not competent and forwards the case, 25 hours after signing (late: 24 hours); the 3 days
    // to decide on 立案 run from the competent organ's acceptance (第八条).
    clock.set('2026-12-04T16:00:00+08:00');
    const forwarded = await ok(officer, caseId, '/forwarding', { policeOrgan: '盐城市公安局经济犯罪侦查支队' });
    expect(forwarded).toMatchObject({
      status: 'received',
      policeOrgan: '盐城市公安局经济犯罪侦查支队',
      forwardedFrom: '盐城市公安局亭湖分局',
      limit: { step: 'police_decision', party: 'police' },
      overdueSteps: [{ step: 'forward', label: '公安机关将不属于本机关管辖的案件转送有管辖权的机关' }],
    });
    expect(forwarded.limit.dueAt).toBe(new Date('2026-12-07T23:59:59+08:00').toISOString());
    const bare = await post(officer, caseId, '/police-decision', { decision: 'declined' });
    expect(bare.statusCode).toBe(400);
    const declined = await ok(officer, caseId, '/police-decision', {
      decision: 'declined',
      reasons: '经审查，涉案产品检验结论存在争议，现有证据不足以认定销售金额达到追诉标准。',
    });
    expect(declined).toMatchObject({
      status: 'declined',
      policeDecision: 'declined',
      limit: { step: 'review_window' },
    });

    const review = await ok(legal, caseId, '/review-request', {
      reasons: '两份检验报告结论一致，销售金额有销售台账佐证。',
    });
    expect(review).toMatchObject({ status: 'review_requested', limit: { step: 'review_decision', party: 'police' } });
    const maintained = await ok(officer, caseId, '/review-result', {
      decision: 'declined',
      reasons: '维持不予立案决定。',
    });
    // 第九条第二款: still objecting, the agency recommends 立案监督 within 3 days of the 复议决定.
    expect(maintained).toMatchObject({ status: 'review_declined', limit: { step: 'supervision_window' } });
    expect(maintained.limit.text).toContain('第九条第二款');
    expect(maintained.limit.dueAt).toBe(new Date('2026-12-07T23:59:59+08:00').toISOString());
    const supervised = await ok(legal, caseId, '/supervision', { reasons: '复议决定认定事实错误。' });
    expect(supervised).toMatchObject({ status: 'supervision_requested', limit: null });
    expect(supervised.supervisionText).toContain('七日内');
    expect((await browser.get(`/cases/${caseId}`)).body).toContain('《要求说明不立案理由通知书》后七日内');
    const upheld = await ok(officer, caseId, '/supervision-result', { result: 'upheld', note: '不立案理由成立。' });
    expect(upheld).toMatchObject({ status: 'supervision_upheld', supervisionResult: 'upheld' });

    expect((await post(officer, caseId, '/return', { reason: 'x' })).statusCode).toBe(403);
    await ok(legal, caseId, '/return', { reason: '公安机关复议维持不予立案，依法给予行政处罚（第十条）。' });
    const resumed = await caseOf(t, officer, caseId);
    expect(resumed).toMatchObject({ status: 'accepting', currentRound: 2 });

    // The existing path to a decision: accepted, reviewed again, approved by the chief, recorded.
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
    await completeStep(t, officer, caseId, 'Task_record_decision', {
      decisionNumber: '市监罚〔2026〕41号',
      decisionDate: today(clock.now()),
      decisionContent: '没收不合格产品，并处罚款六万四千元。',
    });
    expect((await caseOf(t, officer, caseId)).status).toBe('decided');

    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(officer) })).json();
    const types = record.items.map((r: { type: string }) => r.type);
    expect(types.filter((x: string) => x.startsWith('transfer.'))).toEqual([
      'transfer.reported',
      'transfer.approved',
      'transfer.sent',
      'transfer.received',
      'transfer.forwarded',
      'transfer.police_declined',
      'transfer.review_requested',
      'transfer.review_decided',
      'transfer.supervision_requested',
      'transfer.supervision_decided',
      'transfer.returned',
    ]);
    expect(types.indexOf('transfer.returned')).toBeLessThan(types.lastIndexOf('case.decided'));
    const approvedEntry = record.items.find((r: { type: string }) => r.type === 'transfer.approved');
    expect(approvedEntry.signatures[0]).toMatchObject({ signerId: chief.id });
    const verified = (await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(officer) })).json();
    expect(verified).toMatchObject({ ok: true, firstProblem: null });

    const page = (await browser.get(`/cases/${caseId}`)).body;
    expect(page).toContain('移送涉嫌犯罪案件');
    expect(page).toContain('公安机关决定不予立案');
    expect(page).toContain('维持不予立案决定。');
    expect(page).toContain('已退回本机关继续办理');
  });

  it("flags the chief's 3-day limit overdue when it passes on the clock, and the late approval says so", async () => {
    clock.set('2026-12-07T10:00:00+08:00'); // Monday
    const caseId = await transferredCase();
    // The case page's report form refuses a 专案组 of one and says why, on the case page.
    const browser = await pageSession(t, officer);
    await browser.get(`/cases/${caseId}`);
    const alone = await browser.post(`/cases/${caseId}/transfer/report`, {
      policeOrgan: '盐城市公安局亭湖分局',
      procuratorate: '盐城市亭湖区人民检察院',
      teamIds: [officer.id],
      reasons: '涉嫌销售伪劣产品罪。',
      evidence: '涉案物品清单｜1份',
    });
    expect(alone.statusCode).toBe(400);
    expect(alone.body).toContain('专案组应由本机关2名或者2名以上行政执法人员组成');
    // 第六条: the 调查报告 and the 涉案物品清单 go with every transfer; a report listing neither is refused.
    const bare = await post(officer, caseId, '', {
      ...report(),
      evidence: [{ name: '抽样检验报告', quantity: '2份' }],
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error).toMatchObject({ details: { field: 'evidence' } });
    expect(bare.json().error.message).toContain(
      '应当附有涉嫌犯罪案件情况的调查报告（第六条第（二）项）、涉案物品清单（第六条第（三）项）',
    );
    const reported = await ok(officer, caseId, '', report());
    const [deadline, reminder] = await timersOf(reported.id);
    expect([deadline.kind, reminder.kind]).toEqual(['transfer_deadline', 'transfer_reminder']);
    expect(deadline.due_at.toISOString()).toBe(new Date('2026-12-10T23:59:59+08:00').toISOString());

    expect(await fireTimer(t.core.runtime, deadline.id)).toEqual({ kind: 'early', dueAt: deadline.due_at });
    clock.set('2026-12-10T00:00:05+08:00');
    expect(await fireTimer(t.core.runtime, reminder.id)).toEqual({ kind: 'fired' });
    clock.set('2026-12-11T00:00:05+08:00');
    expect(await fireTimer(t.core.runtime, deadline.id)).toEqual({ kind: 'fired' });

    const [late] = (await t.app.inject({ url: `/api/cases/${caseId}/transfers`, headers: t.as(legal) })).json().items;
    expect(late).toMatchObject({ limit: { step: 'approval', reminded: true, overdue: true } });
    expect(late.overdueSteps).toEqual([{ step: 'approval', label: '负责人作出批准移送或者不批准移送的决定' }]);

    // The justice bureau sees the transfer under way with its missed limit, until it is no longer under way.
    const bureau = await t.newDepartment({ name: '盐城市司法局' });
    const supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
    const supervisorView = async () =>
      (await t.app.inject({ url: '/supervisor', headers: html, cookies: { fashen_session: supervisor.token } })).body;
    const row = (await supervisorView()).split(`/cases/${caseId}#transfer`)[1]?.split('</tr>')[0] ?? '';
    expect(row).toContain('已报告，待负责人审批');
    expect(row).toContain('已超期');
    expect(row).toContain('已超过：负责人作出批准移送或者不批准移送的决定');

    const refused = await ok(chief, caseId, '/decision', { approve: false, note: '现有证据不足以认定涉嫌犯罪。' });
    expect(refused).toMatchObject({ status: 'refused', limit: null });
    expect((await timersOf(reported.id)).map((x) => x.status)).toEqual(['fired', 'fired']);
    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(officer) })).json();
    const types = record.items.map((r: { type: string }) => r.type);
    expect(types).toEqual(expect.arrayContaining(['transfer.reminder', 'transfer.overdue']));
    const entry = record.items.find((r: { type: string }) => r.type === 'transfer.refused');
    expect(entry.payload).toMatchObject({ reasons: '现有证据不足以认定涉嫌犯罪。', late: { step: 'approval' } });
    expect(entry.payload.late.article).toContain('第五条第二款');
    expect(await supervisorView()).not.toContain(`/cases/${caseId}#transfer`);
  });
});
