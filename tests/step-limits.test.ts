import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import {
  caseOf,
  completeStep,
  documentText,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
} from './helpers/review.js';

// Issue 13 item 8: every step of the review has a time limit in working days. Measured before: acceptance,
// correction, coordination, the chief's decision and recording had none, so stalling acceptance bypassed the
// review's limit. Working days from the 2026 State Council notice: 10/1–10/7 holiday, 10/8 and 10/9 worked.
const clock = manualClock('2026-09-30T10:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'], position: '局长' });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
});
afterAll(() => t.close());

/** The shipped default process without the limits it sets on its steps other than 审核/复核 (as on main before). */
async function flowWithoutStepLimits() {
  const xml = await workflowFile('legal-review.bpmn');
  return xml.replace(
    /(<bpmn:userTask id="Task_(?:accept|correct|coordinate|chief_decision|record_decision)"[^>]*?)>/g,
    (_m, open: string) => `${open.replace(/ fashen:(?:deadlineWorkingDays|reminderWorkingDays)="\d+"/g, '')}>`,
  );
}

async function submit() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

const at = (s: string) => new Date(s).toISOString();

describe('a step the process sets no limit for gets its step default', () => {
  it('stalling acceptance is visible: 受理审查 falls due after 2 working days, reminds, then is overdue', async () => {
    clock.set('2026-09-30T10:00:00+08:00');
    await deploy(t, legal, await flowWithoutStepLimits());
    const caseId = await submit();
    const accept = await openTask(t, legal, caseId, 'Task_accept');
    // 10/8 and 10/9 are the two working days after 9/30.
    expect(accept.dueAt).toBe(at('2026-10-09T23:59:59+08:00'));
    const timers = await t.db
      .selectFrom('timers')
      .select(['id', 'kind', 'due_at'])
      .where('task_id', '=', accept.id)
      .orderBy('kind')
      .execute();
    expect(timers.map((x) => [x.kind, x.due_at.toISOString()])).toEqual([
      ['task_deadline', at('2026-10-09T23:59:59+08:00')],
      ['task_reminder', at('2026-10-08T23:59:59+08:00')],
    ]);
    clock.set('2026-10-12T09:00:00+08:00');
    expect((await fireTimer(t.app.runtime, timers[0].id)).kind).toBe('fired');
    const list = (await t.app.inject({ url: '/api/tasks?status=open&deadlineState=overdue', headers: t.as(legal) }))
      .json()
      .items.find((x: { id: string }) => x.id === accept.id);
    expect(list).toMatchObject({ deadlineState: 'overdue' });
    const c = await caseOf(t, legal, caseId);
    expect(c.tasks.find((x: { id: string }) => x.id === accept.id)).toMatchObject({ deadlineState: 'overdue' });
    expect(c.timeline.map((h: { type: string }) => h.type)).toContain('task.overdue');
  });
});

describe('the shipped default process sets a limit on every step', () => {
  it('each task of a disagreement that goes through coordination to the record has a due time', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
    const caseId = await submit();
    const dues: Record<string, string | null> = {};
    const step = async (user: TestUser, elementId: string, form: Record<string, unknown>) => {
      dues[elementId] = (await openTask(t, user, caseId, elementId)).dueAt;
      await completeStep(t, user, caseId, elementId, form);
    };
    await step(legal, 'Task_accept', { complete: true });
    await step(reviewer, 'Task_review', {
      ...reviewForm('不同意', '罚款幅度过高。'),
      finding_discretion: '不符合',
      note_discretion: '罚款幅度高于裁量基准的中档',
    });
    await step(officer, 'Task_contest', { contest: true, contestReasons: '货值较大，中档适当。' });
    await step(reviewer, 'Task_rereview', rereviewForm(true));
    await step(legal, 'Task_coordinate', {
      coordinationDate: '2026-11-02',
      outcome: '未达成一致（报请负责人决定）',
      handlingPosition: '拟按货值一倍罚款',
      reviewPosition: '应按裁量基准中档以下',
      coordinationNote: '双方未能达成一致。',
      participants: '张三 执法稽查局 局长\n李四 法规科 科长',
    });
    await step(chief, 'Task_chief_decision', {
      decision: '同意作出决定',
      decisionReasons: '货值较大，按一倍罚款在裁量基准幅度之内。',
    });
    dues.Task_record_decision = (await openTask(t, officer, caseId, 'Task_record_decision')).dueAt;
    // Monday 11/2: 2 working days → Wednesday 11/4; 5 → Monday 11/9; 3 → Thursday 11/5 (the contest's timer).
    expect(dues).toEqual({
      Task_accept: at('2026-11-04T23:59:59+08:00'),
      Task_review: at('2026-11-09T23:59:59+08:00'),
      Task_contest: at('2026-11-05T23:59:59+08:00'),
      Task_rereview: at('2026-11-04T23:59:59+08:00'),
      Task_coordinate: at('2026-11-09T23:59:59+08:00'),
      Task_chief_decision: at('2026-11-05T23:59:59+08:00'),
      Task_record_decision: at('2026-11-09T23:59:59+08:00'),
    });
  });

  it('the correction (修改补正) has its limit too', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '证据不足。'),
      finding_evidence: '不符合',
      note_evidence: '缺少检验机构资质证明',
    });
    expect((await openTask(t, officer, caseId, 'Task_correct')).dueAt).toBe(at('2026-11-09T23:59:59+08:00'));
  });
});

describe('deploy refuses a review process task without any limit', () => {
  it('a task that is no review step needs its own limit or a timer', async () => {
    const xml = (await workflowFile('legal-review.bpmn')).replace(
      /<bpmn:userTask id="Task_accept"[^>]*>/,
      '<bpmn:userTask id="Task_accept" name="受理审查（材料是否齐全）" fashen:role="legal_admin">',
    );
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...t.as(legal), 'content-type': 'application/xml' },
      payload: xml,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('“受理审查（材料是否齐全）”没有办理期限');
    const fixed = xml.replace(
      'fashen:role="legal_admin">',
      'fashen:role="legal_admin" fashen:deadlineWorkingDays="2">',
    );
    await deploy(t, legal, fixed);
  });
});

describe('a coordination that agrees is confirmed by both units’ heads, each with person and time', () => {
  const meeting = {
    coordinationDate: '2026-11-02',
    coordinationPlace: '本局三楼会议室',
    handlingPosition: '拟按货值一倍罚款',
    reviewPosition: '应按裁量基准中档以下',
    coordinationNote: '双方就裁量幅度交换意见，承办机构同意按中档以下处罚。',
    participants: '张三 执法稽查局 局长\n李四 法规科 科长',
  };
  beforeAll(async () => {
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  });
  async function atCoordination() {
    clock.set('2026-11-02T09:00:00+08:00');
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('不同意', '罚款幅度过高。'),
      finding_discretion: '不符合',
      note_discretion: '罚款幅度高于裁量基准的中档',
    });
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '货值较大，中档适当。' });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
    return caseId;
  }
  const confirm = (user: TestUser, caseId: string, outcome: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/coordination/confirmations`,
      headers: t.as(user),
      payload: { outcome },
    });

  it('an agreement the handling unit’s head has not confirmed (or confirmed otherwise) is refused', async () => {
    const caseId = await atCoordination();
    const task = await openTask(t, legal, caseId, 'Task_coordinate');
    const complete = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/complete`,
        headers: t.as(legal),
        payload: { ...meeting, outcome: '达成一致（承办机构采纳法制审核意见）' },
      });
    const unconfirmed = await complete();
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().error).toMatchObject({ code: 'COORDINATION_NOT_CONFIRMED' });
    expect((await confirm(officer, caseId, 'agree_with_handling')).statusCode).toBe(201);
    expect((await complete()).statusCode).toBe(409);
    expect((await caseOf(t, legal, caseId)).status).toBe('coordinating');
  });

  it('both confirmations are kept in the case, its record and the coordination document', async () => {
    const caseId = await atCoordination();
    clock.set('2026-11-03T15:20:00+08:00');
    const confirmed = await confirm(officer, caseId, 'agree_with_review');
    expect(confirmed.statusCode).toBe(201);
    clock.set('2026-11-03T16:05:00+08:00');
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...meeting,
      outcome: '达成一致（承办机构采纳法制审核意见）',
    });
    const c = await caseOf(t, legal, caseId);
    expect(c.status).toBe('not_approved');
    expect(c.coordination).toMatchObject({
      outcome: 'agree_with_review',
      confirmations: [
        { side: 'handling', userId: officer.id, at: at('2026-11-03T15:20:00+08:00') },
        { side: 'review', userId: legal.id, at: at('2026-11-03T16:05:00+08:00') },
      ],
    });
    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(officer) })).json();
    const confirmedEntry = record.items.find((r: { type: string }) => r.type === 'case.coordination_confirmed');
    expect(confirmedEntry).toMatchObject({ actorId: officer.id });
    expect(
      record.items.find((r: { type: string }) => r.type === 'case.coordinated').payload.confirmations,
    ).toHaveLength(2);
    const text = await documentText(t, officer, caseId, 'coordination_record');
    expect(text).toContain('承办机构采纳法制审核机构的意见');
    expect(text).toMatch(/承办机构负责人.+已于2026年11月3日 15:20确认上述一致意见/);
    expect(text).toMatch(/法制审核机构负责人.+已于2026年11月3日 16:05确认上述一致意见/);
  });

  it('no agreement needs no confirmation and the document names none', async () => {
    const caseId = await atCoordination();
    await completeStep(t, legal, caseId, 'Task_coordinate', { ...meeting, outcome: '未达成一致（报请负责人决定）' });
    const text = await documentText(t, officer, caseId, 'coordination_record');
    expect(text).toContain('意见仍不一致，报请机关负责人决定');
    expect(text).not.toContain('确认上述一致意见');
  });

  it('with units, only the handling unit’s head confirms, on the case page as through the API', async () => {
    const admin = await t.newUser({ departmentId: officer.departmentId, roles: ['admin'] });
    const head = await t.newUser({ departmentId: officer.departmentId, roles: ['officer'], position: '局长' });
    const unit = await t.app.inject({
      method: 'POST',
      url: `/api/departments/${officer.departmentId}/units`,
      headers: t.as(admin),
      payload: { name: '执法稽查局', kind: 'handling', headUserId: head.id },
    });
    expect(unit.statusCode, unit.body).toBe(201);
    for (const u of [officer, head]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${u.id}`,
        headers: t.as(admin),
        payload: { unitId: unit.json().id },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const caseId = await atCoordination();
    const refused = await confirm(officer, caseId, 'agree_with_review');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('协调意见须由承办机构（执法稽查局）负责人');
    expect((await (await pageSession(t, officer)).get(`/cases/${caseId}`)).body).not.toContain('确认协调意见');
    const page = await pageSession(t, head);
    expect((await page.get(`/cases/${caseId}`)).body).toContain('确认协调意见（承办机构负责人：执法稽查局）');
    const posted = await page.post(`/cases/${caseId}/coordination/confirm`, { outcome: 'agree_with_review' });
    expect(posted.statusCode).toBe(303);
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...meeting,
      outcome: '达成一致（承办机构采纳法制审核意见）',
    });
    const c = await caseOf(t, legal, caseId);
    expect(c.coordination.confirmations[0]).toMatchObject({ side: 'handling', userId: head.id });
  });
});
