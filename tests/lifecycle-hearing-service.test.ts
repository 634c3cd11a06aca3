import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, documentText, FACTS, packet, reviewForm } from './helpers/review.js';

// 行政处罚法第六十四条第（二）项: the 听证通知书 must reach the party 七日 (working days, 第八十五条) before the hearing
// it sets — the day it is served, or for a 公告送达 the day it counts as served (民事诉讼法第九十五条).
// November and December 2026 have no holidays: 11/2 is a Monday.
const clock = manualClock('2026-11-02T09:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;
let presider: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  presider = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const flat = (s: string) => s.replace(/\s+/g, '');

const event = (caseId: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/stages/events`, headers: t.as(officer), payload: body });

async function ok(caseId: string, body: Record<string, unknown>) {
  const res = await event(caseId, body);
  if (res.statusCode !== 201) throw new Error(`${body.type}: ${res.statusCode} ${res.body}`);
}

const documentsOf = async (caseId: string, kind: string) =>
  ((await caseOf(t, officer, caseId)).documents as { id: string; kind: string; number: string }[]).filter(
    (d) => d.kind === kind,
  );

/**
 * 立案 → 审核 → 负责人同意 → 告知 (11/2) → 当事人要求听证 (11/4) → 听证通知 (11/4) of a hearing on `hearingDate`.
 * Returns the case and its 事先告知书 and 听证通知书.
 */
async function notified(hearingDate: string) {
  clock.set('2026-11-02T09:00:00+08:00');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  expect(res.statusCode, res.body).toBe(201);
  const caseId = res.json().caseId as string;
  await ok(caseId, { type: 'filed', date: '2026-11-02' });
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: true });
  clock.set('2026-11-04T10:00:00+08:00');
  await ok(caseId, { type: 'hearing_requested', date: '2026-11-04' });
  await ok(caseId, { ...hearingNotice, hearingDate, presiderId: presider.id });
  const [notice] = await documentsOf(caseId, 'penalty_notice');
  const [hearing] = await documentsOf(caseId, 'hearing_notice');
  return { caseId, notice, hearing };
}

const hearingNotice = {
  type: 'hearing_notified',
  date: '2026-11-04',
  hearingTime: '14:30',
  place: '第一听证室',
};

const serve = (caseId: string, date: string, servedDocuments: string[], method = 'direct') =>
  event(caseId, {
    type: 'served',
    date,
    method,
    ...(method === 'direct' && { recipient: '张三' }),
    servedDocuments,
  });

async function refusedLate(res: Awaited<ReturnType<typeof serve>>, hearingDate: string, latest: string) {
  expect(res.statusCode, res.body).toBe(400);
  const { error } = res.json();
  expect(error.code).toBe('VALIDATION_FAILED');
  expect(error.details).toMatchObject({ field: 'date', hearingDate, latestServiceDate: latest });
  expect(error.message).toContain('应在举行听证的七日前通知当事人');
  expect(error.message).toContain(`听证定于${hearingDate}举行，最迟应于${latest}送达`);
  expect(error.message).toContain('行政处罚法第六十四条第（二）项');
  return error as { message: string; details: Record<string, unknown> };
}

describe('the service of the 听证通知书 (第六十四条第（二）项)', () => {
  it('is refused when it reaches the party fewer than 七日 before the hearing, or after it', async () => {
    // Notified 11/4 of a hearing on Friday 11/13: the seventh working day after 11/4, so 11/4 is the last day.
    const { caseId, notice, hearing } = await notified('2026-11-13');
    clock.set('2026-11-16T09:00:00+08:00');
    await refusedLate(await serve(caseId, '2026-11-05', [hearing.id]), '2026-11-13', '2026-11-04');
    await refusedLate(await serve(caseId, '2026-11-16', [hearing.id]), '2026-11-13', '2026-11-04');
    const both = await serve(caseId, '2026-11-05', [notice.id, hearing.id]);
    const error = await refusedLate(both, '2026-11-13', '2026-11-04');
    expect(error.message).toContain(`听证通知书（${hearing.number}）`);
    expect(await documentsOf(caseId, 'service_receipt')).toHaveLength(0);

    // A service without the hearing notice is not held to the hearing.
    expect((await serve(caseId, '2026-11-16', [notice.id])).statusCode).toBe(201);
    // Served on the last lawful day: in time.
    const served = await serve(caseId, '2026-11-04', [hearing.id]);
    expect(served.statusCode, served.body).toBe(201);
    const receipt = flat(await documentText(t, officer, caseId, 'service_receipt', 1));
    expect(receipt).toContain(`听证通知书（${hearing.number}）`);
    expect(receipt).toContain('送达日期2026年11月4日');
  });

  it('is held to the hearing the served notice sets, after a later notice moved the hearing', async () => {
    const { caseId, hearing: first } = await notified('2026-11-13');
    clock.set('2026-11-06T09:00:00+08:00');
    await ok(caseId, { ...hearingNotice, date: '2026-11-06', hearingDate: '2026-11-27', presiderId: presider.id });
    const second = (await documentsOf(caseId, 'hearing_notice')).find((d) => d.id !== first.id)!;
    clock.set('2026-11-19T09:00:00+08:00');

    // The first notice still names 11/13: served on 11/6 it came too late for that hearing.
    await refusedLate(await serve(caseId, '2026-11-06', [first.id]), '2026-11-13', '2026-11-04');
    // The second names Friday 11/27: 11/18 is seven working days before it, 11/19 is not.
    await refusedLate(await serve(caseId, '2026-11-19', [second.id]), '2026-11-27', '2026-11-18');
    const served = await serve(caseId, '2026-11-18', [second.id]);
    expect(served.statusCode, served.body).toBe(201);
  });

  it('by 公告 counts from the day the notice counts as served, thirty days after publication', async () => {
    // A hearing on Thursday 12/24: the party must be notified by Tuesday 12/15.
    const { caseId, hearing } = await notified('2026-12-24');
    clock.set('2026-11-16T09:00:00+08:00');
    // Published Monday 11/16, it counts as served on 12/16: six working days before the hearing.
    const late = await refusedLate(
      await serve(caseId, '2026-11-16', [hearing.id], 'public_notice'),
      '2026-12-24',
      '2026-12-15',
    );
    expect(late.details).toMatchObject({ deemedServedOn: '2026-12-16', latestPublicationDate: '2026-11-15' });
    expect(late.message).toContain('2026-11-16发出的公告于2026-12-16方视为送达，最迟应于2026-11-15发出公告');
    expect(late.message).toContain('民事诉讼法第九十五条');

    // Handed over the same day it is in time.
    expect((await serve(caseId, '2026-11-16', [hearing.id])).statusCode).toBe(201);
    // Published on Sunday 11/15 it counts as served on Tuesday 12/15, the last lawful day.
    const published = await serve(caseId, '2026-11-15', [hearing.id], 'public_notice');
    expect(published.statusCode, published.body).toBe(201);
    const receipt = flat(await documentText(t, officer, caseId, 'service_receipt', 1));
    expect(receipt).toContain('公告发出日期2026年11月15日');
    expect(receipt).toContain('视为送达日期2026年12月15日');
  });
});
