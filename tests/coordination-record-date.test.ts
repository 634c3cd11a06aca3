import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
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

// The 协调意见 states the day the units coordinated and where, as the coordination step gives them: not the day the
// step was entered, which may be days later.
const clock = manualClock('2026-11-02T09:00:00+08:00');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
});
afterAll(() => t.close());

interface Agency {
  officer: TestUser;
  reviewer: TestUser;
  legal: TestUser;
}

async function agency(bpmn: string): Promise<Agency> {
  const d = await t.newDepartment();
  const officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  const reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  await t.newUser({ departmentId: d.id, roles: ['chief'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, bpmn);
  return { officer, reviewer, legal };
}

/** A case reviewed 不同意 on Monday 2 November, contested and maintained at re-review the same day: at coordination. */
async function atCoordination({ officer, reviewer, legal }: Agency) {
  clock.set('2026-11-02T09:00:00+08:00');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  const caseId = res.json().caseId as string;
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('不同意', '罚款幅度过高。'));
  await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '货值较大，中档适当。' });
  await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
  return caseId;
}

const meeting = {
  outcome: '未达成一致（报请负责人决定）',
  handlingPosition: '拟按货值一倍罚款',
  reviewPosition: '应按裁量基准中档以下',
  coordinationNote: '双方就裁量幅度交换意见，未能达成一致。',
  participants: '张三 执法稽查局 局长\n李四 法规科 科长',
};

describe('the coordination record of the shipped flow', () => {
  let a: Agency;
  beforeAll(async () => {
    a = await agency(await workflowFile('legal-review.bpmn'));
  });

  it('states the day and place the units met, not the day the step was entered', async () => {
    const caseId = await atCoordination(a);
    clock.set('2026-11-09T10:00:00+08:00');
    await completeStep(t, a.legal, caseId, 'Task_coordinate', {
      ...meeting,
      coordinationDate: '2026-11-04',
      coordinationPlace: '市场监管局三楼第二会议室',
    });
    const text = await documentText(t, a.officer, caseId, 'coordination_record');
    expect(text).toMatch(/协调日期\s*2026年11月4日/);
    expect(text).toMatch(/协调地点\s*市场监管局三楼第二会议室/);
    expect(text).not.toMatch(/(协调日期|协调时间)\s*2026年11月9日/);
    expect((await caseOf(t, a.legal, caseId)).coordination).toMatchObject({
      heldOn: '2026-11-04',
      place: '市场监管局三楼第二会议室',
    });
  });

  it('states no place for a coordination by written views, which has none', async () => {
    const caseId = await atCoordination(a);
    clock.set('2026-11-03T16:00:00+08:00');
    await completeStep(t, a.legal, caseId, 'Task_coordinate', { ...meeting, coordinationDate: '2026-11-02' });
    const text = await documentText(t, a.officer, caseId, 'coordination_record');
    expect(text).toMatch(/协调日期\s*2026年11月2日/);
    expect(text).not.toContain('协调地点');
  });

  it('refuses a date after today in Beijing, naming the field', async () => {
    const caseId = await atCoordination(a);
    // 07:00 on the 10th in Beijing is still the 9th in UTC: the 10th is today, the 11th is not yet.
    clock.set('2026-11-10T07:00:00+08:00');
    const task = await openTask(t, a.legal, caseId, 'Task_coordinate');
    const complete = (coordinationDate: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/complete`,
        headers: t.as(a.legal),
        payload: { ...meeting, coordinationDate },
      });
    const refused = await complete('2026-11-11');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 'FORM_INVALID',
      details: {
        fields: [{ field: 'coordinationDate', message: expect.stringContaining('晚于今天（2026年11月10日）') }],
      },
    });
    expect((await caseOf(t, a.legal, caseId)).status).toBe('coordinating');
    expect((await complete('2026-11-10')).statusCode).toBe(200);
    expect(await documentText(t, a.officer, caseId, 'coordination_record')).toMatch(/协调日期\s*2026年11月10日/);
  });

  it('refuses a date before the re-review opinion the coordination settles', async () => {
    const caseId = await atCoordination(a);
    clock.set('2026-11-05T10:00:00+08:00');
    const task = await openTask(t, a.legal, caseId, 'Task_coordinate');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(a.legal),
      payload: { ...meeting, coordinationDate: '2026-11-01' },
    });
    expect(refused.statusCode).toBe(400);
    const [problem] = refused.json().error.details.fields;
    expect(problem).toEqual({
      field: 'coordinationDate',
      message: expect.stringContaining('早于复核意见出具日期（2026年11月2日）'),
    });
    expect((await openTask(t, a.legal, caseId, 'Task_coordinate')).id).toBe(task.id);
  });

  it('refuses a missing date and a date that is no day', async () => {
    const caseId = await atCoordination(a);
    const task = await openTask(t, a.legal, caseId, 'Task_coordinate');
    for (const payload of [meeting, { ...meeting, coordinationDate: '2026-11-31' }]) {
      const refused = await t.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/complete`,
        headers: t.as(a.legal),
        payload,
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual(['coordinationDate']);
    }
  });
});

describe('the coordination record of a flow deployed before the step asked when and where', () => {
  it('states its 记录日期 and no 协调日期 or place, rather than the day of the step as the day the units met', async () => {
    const shipped = await workflowFile('legal-review.bpmn');
    const old = shipped.replace(/\s*<fashen:formField name="coordination(Date|Place)"[^>]*\/>/g, '');
    expect(old).not.toContain('coordinationDate');
    const a = await agency(old);
    const caseId = await atCoordination(a);
    clock.set('2026-11-06T11:00:00+08:00');
    await completeStep(t, a.legal, caseId, 'Task_coordinate', meeting);
    const text = await documentText(t, a.officer, caseId, 'coordination_record');
    expect(text).toMatch(/记录日期\s*2026年11月6日/);
    expect(text).not.toMatch(/协调日期|协调时间|协调地点/);
    expect((await caseOf(t, a.legal, caseId)).coordination).toMatchObject({ heldOn: null, place: null });
  });
});
