import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { multipart, sample, upload } from './helpers/evidence.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, documentText, FACTS, openTask, packet, reviewForm } from './helpers/review.js';

// November 2026 has no holidays: 11/2 is a Monday.
const clock = manualClock('2026-11-02T09:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let chief: TestUser;
let legal: TestUser;
let reviewer: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  // The hearing's presider: the legal unit's 李四, not one of the case's investigators.
  await t.db.updateTable('users').set({ display_name: '李四' }).where('id', '=', legal.id).execute();
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function ok(caseId: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/stages/events`,
    headers: t.as(officer),
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`${body.type}: ${res.statusCode} ${res.body}`);
}

const flat = (s: string) => s.replace(/\s+/g, '');

describe('the documents of the case lifecycle', () => {
  it('issues the signed 事先告知书, 听证通知书 and 送达回证 as the officer records 告知, the hearing notice and 送达', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { packet: packet(), facts: FACTS },
    });
    expect(res.statusCode).toBe(201);
    const caseId = res.json().caseId as string;
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });

    await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: true, statementWorkingDays: 3 });
    const notice = flat(await documentText(t, officer, caseId, 'penalty_notice'));
    for (const s of [
      '行政处罚事先告知书',
      '销售不合格电热水壶共计320台',
      '《中华人民共和国产品质量法》第四十九条',
      '没收不合格产品，并处罚款六万四千元。',
      '三个工作日内（截至2026年11月5日）', // 陈述、申辩: 3 working days from Monday 11/2
      '五个工作日内（截至2026年11月9日）', // 要求听证: 五日 (working days) from 11/2
      '有权要求听证',
    ]) {
      expect(notice, s).toContain(s);
    }

    clock.set('2026-11-04T10:00:00+08:00');
    await ok(caseId, { type: 'hearing_requested', date: '2026-11-04' });
    await ok(caseId, {
      type: 'hearing_notified',
      date: '2026-11-04',
      hearingDate: '2026-11-13',
      hearingTime: '09:30',
      place: '第一听证室',
      presiderId: legal.id,
      presider: '李四',
    });
    const hearing = flat(await documentText(t, officer, caseId, 'hearing_notice'));
    for (const s of [
      '听证通知书',
      '2026年11月4日对本机关',
      '2026年11月13日09:30',
      '第一听证室',
      '李四主持',
      '申请回避',
    ]) {
      expect(hearing, s).toContain(s);
    }

    clock.set('2026-11-13T15:00:00+08:00');
    await ok(caseId, { type: 'hearing_held', date: '2026-11-13', factsChanged: false });
    const task = await openTask(t, officer, caseId, 'Task_record_decision');
    const decided = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(officer),
      payload: {
        decisionNumber: '市监罚〔2026〕31号',
        decisionDate: '2026-11-13',
        decisionContent: '没收不合格产品，并处罚款六万四千元。',
      },
    });
    expect(decided.statusCode).toBe(200);
    // 留置送达 needs a witness with the refusal written down, or a photo or video of the leaving (民诉法第八十九条).
    const left = { type: 'served', date: '2026-11-13', method: 'left' };
    for (const [body, field] of [
      [left, 'witness'],
      [{ ...left, witness: '王五（某某社区居民委员会）' }, 'refusalReason'],
      // A 公告 has no place of service: its receipt states the publication and the day it counts as served.
      [{ ...left, method: 'public_notice', servicePlace: '本局政务公开栏' }, 'servicePlace'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/stages/events`,
        headers: t.as(officer),
        payload: body,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }

    // Recorded on Monday the 16th for Friday the 13th: the 送达回证 lists what was served and bears the 13th.
    clock.set('2026-11-16T10:00:00+08:00');
    const before = await caseOf(t, officer, caseId);
    const notice0 = before.documents.find((d: { kind: string }) => d.kind === 'penalty_notice');
    await ok(caseId, {
      type: 'served',
      date: '2026-11-13',
      method: 'direct',
      recipient: '张三',
      servicePlace: '本局三楼第二询问室',
      servedDocuments: ['decision', notice0.id],
    });
    const receipt = flat(await documentText(t, officer, caseId, 'service_receipt'));
    for (const s of [
      '送达回证',
      '行政处罚决定书（市监罚〔2026〕31号）',
      `行政处罚事先告知书（${notice0.number}）`,
      '直接送达',
      '2026年11月13日',
      '张三',
    ]) {
      expect(receipt, s).toContain(s);
    }
    expect(receipt).not.toContain('2026年11月16日');
    // Served where it was handed over, not at the party's 住所.
    expect(receipt).toContain('送达地点本局三楼第二询问室');
    expect(receipt).not.toContain('某路1号');

    // Each stage links the documents it issued.
    const lc = (await t.app.inject({ url: `/api/cases/${caseId}/stages`, headers: t.as(officer) })).json();
    const issuedBy = (kind: string) =>
      lc.stages
        .filter((s: { kind: string }) => s.kind === kind)
        .flatMap((s: { documents: { kind: string }[] }) => s.documents.map((d) => d.kind));
    expect(issuedBy('notice')).toEqual(['penalty_notice']);
    expect(issuedBy('hearing')).toEqual(['hearing_notice']);
    expect(issuedBy('service')).toEqual(['service_receipt']);
    const cookie = `fashen_session=${officer.token}`;
    const page = await t.app.inject({ url: `/cases/${caseId}/stages`, headers: { cookie } });
    const receiptDoc = lc.stages.find((s: { kind: string }) => s.kind === 'service').documents[0];
    expect(page.body).toContain(`/api/cases/${caseId}/documents/${receiptDoc.documentId}`);

    // Each is signed by the officer who issued it, listed on the case and in its verified record.
    const c = await caseOf(t, officer, caseId);
    const docs = c.documents.filter((d: { kind: string }) =>
      ['penalty_notice', 'hearing_notice', 'service_receipt'].includes(d.kind),
    );
    expect(docs.map((d: { signedBy: string }) => d.signedBy)).toEqual([officer.id, officer.id, officer.id]);
    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(officer) })).json();
    const issued = record.items.filter((r: { type: string }) => r.type === 'document.issued');
    expect(issued.map((r: { payload: { kind: string } }) => r.payload.kind)).toEqual(
      expect.arrayContaining(['penalty_notice', 'hearing_notice', 'service_receipt']),
    );
    const v = (await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(officer) })).json();
    expect(v).toMatchObject({ ok: true });

    // Article 89 leaves a refused document at the party's 住所. Elsewhere (here the party's shop) a witness does not
    // make it served: only a photo or video of the process does (民诉法解释第一百三十一条第二款).
    const elsewhere = {
      ...left,
      witness: '王五（某某社区居民委员会）',
      refusalReason: '称负责人不在',
      servicePlace: '盐城市亭湖区某路8号当事人经营场所',
    };
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/stages/events`,
      headers: t.as(officer),
      payload: elsewhere,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.field).toBe('attachmentIds');
    expect(refused.json().error.message).toContain('第一百三十一条第二款');
    // The case's own upload is closed after the decision; the photo goes up for the event to cite.
    const closed = await upload(t, officer, caseId, [
      { name: '留置过程.png', content: sample.png(), type: 'image/png' },
    ]);
    expect(closed.statusCode).toBe(409);
    const body = multipart([{ name: '留置过程.png', content: sample.png(), type: 'image/png' }]);
    const photo = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/stages/files`,
      headers: { ...t.as(officer), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(photo.statusCode, photo.body).toBe(201);
    await ok(caseId, { ...elsewhere, attachmentIds: [photo.json().items[0].id] });
    // Left where the service took place: the receipt does not claim it was left at the party's 住所, and names
    // the rule that made it served there.
    const leftReceipt = flat(await documentText(t, officer, caseId, 'service_receipt', 1));
    expect(leftReceipt).toContain('送达地点盐城市亭湖区某路8号当事人经营场所');
    expect(leftReceipt).toContain('拒收事由：称负责人不在。见证人到场，文书已留置于上述送达地点，送达过程已拍照、录像');
    expect(leftReceipt).toContain('受送达人签名或者盖章拒绝签收（见备注）');
    expect(leftReceipt).toContain('第一百三十一条第二款');
    expect(leftReceipt).not.toContain('留置于受送达人住所');
    expect(leftReceipt).not.toContain('民事诉讼法第八十九条');

    // At the party's 住所, written out as the place, the witness suffices (民事诉讼法第八十九条).
    await ok(caseId, { ...elsewhere, servicePlace: '盐城市亭湖区某路1号（当事人住所）' });
    const homeReceipt = flat(await documentText(t, officer, caseId, 'service_receipt', 2));
    expect(homeReceipt).toContain('见证人到场，文书已留置于上述送达地点（民事诉讼法第八十九条）');
  });
});
