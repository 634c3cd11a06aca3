import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { instantToShanghaiDate } from '../server/workdays/days.js';
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

// The documents the handling unit signs for tell it what the flow asks of it next and by when: the 不同意 opinion its
// right to object (申请复核), the last day and what the flow does after it; an opinion sent back for correction the day
// to resubmit by; the 补正材料通知书 its day and what follows. Each date is the one the task (or its timer) the flow
// then creates falls due on, counted from the deployed definition. Working days from the 2026 State Council notice:
// 10/1–10/7 holiday, 10/8–10/9 and 10/10 (a Saturday) worked.
const clock = manualClock('2026-09-30T10:00:00+08:00');
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

/** A department of its own running `xml`. */
async function agency(xml: string): Promise<Agency> {
  const d = await t.newDepartment();
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, xml);
  return {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewer: await t.newUser({ departmentId: d.id, roles: ['reviewer'] }),
    legal,
  };
}

async function submit(a: Agency) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(a.officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

/** A case accepted and reviewed with `conclusion` (a fault found in the discretion, as a signed opinion needs). */
async function reviewed(a: Agency, conclusion: string) {
  const caseId = await submit(a);
  await completeStep(t, a.legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, a.reviewer, caseId, 'Task_review', reviewForm(conclusion, '罚款幅度过高。'));
  return caseId;
}

/** The Beijing day a task or timer falls due on, as the API gives it, written as a document writes it. */
function cnDay(iso: string | null) {
  if (!iso) throw new Error('no due time');
  const [y, m, d] = instantToShanghaiDate(new Date(iso)).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The pending engine timer `elementId` of the case's instance, through GET /api/instances/:id. */
async function pendingTimer(a: Agency, caseId: string, elementId: string) {
  const { instanceId } = await caseOf(t, a.officer, caseId);
  const detail = (await t.app.inject({ url: `/api/instances/${instanceId}`, headers: t.as(a.legal) })).json();
  const timer = detail.timers.find(
    (x: { elementId: string; status: string }) => x.elementId === elementId && x.status === 'pending',
  );
  if (!timer) throw new Error(`no pending ${elementId}`);
  return timer as { id: string; dueAt: string };
}

const OBJECTION = '你单位如对本审核意见有异议，可于';
const NOT_APPROVED = '本案按法制审核未通过办结，不得作出该执法决定';

describe('the shipped default process', () => {
  let a: Agency;
  beforeAll(async () => {
    clock.set('2026-09-30T10:00:00+08:00');
    a = await agency(await workflowFile('legal-review.bpmn'));
  });

  it('a 不同意 opinion states the right to object, its last day (the contest timer’s) and what its lapse does', async () => {
    clock.set('2026-09-30T10:00:00+08:00');
    const caseId = await reviewed(a, '不同意');
    const task = await openTask(t, a.officer, caseId, 'Task_contest');
    const timer = await pendingTimer(a, caseId, 'Timer_contest');
    // P3WD from Wednesday 9/30: 10/8, 10/9 and Saturday 10/10, a working day.
    expect(cnDay(task.dueAt)).toBe('2026年10月10日');
    expect(cnDay(timer.dueAt)).toBe(cnDay(task.dueAt));
    const text = await documentText(t, a.officer, caseId, 'review_opinion');
    expect(text).toContain(
      `${OBJECTION}${cnDay(timer.dueAt)}前提出书面异议，申请复核；逾期未提出的，${NOT_APPROVED}。`,
    );
    expect(text).not.toContain('再次报送审核');
    expect(text).not.toContain('暂按周一至周五推算');
    // What the document says of the lapse is what the flow does: the timer closes the case as not approved.
    clock.set('2026-10-11T09:00:00+08:00');
    expect((await fireTimer(t.app.runtime, timer.id)).kind).toBe('fired');
    expect((await caseOf(t, a.officer, caseId)).status).toBe('not_approved');
  });

  it('a 复核 opinion does not repeat the first review’s objection sentence', async () => {
    clock.set('2026-09-30T10:00:00+08:00');
    const caseId = await reviewed(a, '不同意');
    expect(await documentText(t, a.officer, caseId, 'review_opinion', 0)).toContain('申请复核；逾期未提出的');
    await completeStep(t, a.officer, caseId, 'Task_contest', { contest: true, contestReasons: '货值较大。' });
    await completeStep(t, a.reviewer, caseId, 'Task_rereview', rereviewForm(true));
    const rereview = await documentText(t, a.officer, caseId, 'review_opinion', 1);
    expect(rereview).toContain('（复核）');
    expect(rereview).toContain('不同意');
    expect(rereview).not.toContain('申请复核');
    expect(rereview).not.toContain('逾期未提出');
    expect(rereview).not.toContain('再次报送审核');
  });

  it('退回补正 and 修改后同意 state the day to resubmit by: the correction task’s due day', async () => {
    for (const conclusion of ['退回补正', '修改后同意']) {
      clock.set('2026-09-30T10:00:00+08:00');
      const caseId = await reviewed(a, conclusion);
      const task = await openTask(t, a.officer, caseId, 'Task_correct');
      // fashen:deadlineWorkingDays="5" from 9/30: 10/8, 10/9, 10/10, 10/12, 10/13.
      expect(cnDay(task.dueAt)).toBe('2026年10月13日');
      const text = await documentText(t, a.officer, caseId, 'review_opinion');
      expect(text, conclusion).toContain(`请你单位按照本审核意见修改补正后，于${cnDay(task.dueAt)}前再次报送审核。`);
      expect(text, conclusion).not.toContain('申请复核');
    }
    // An opinion that approves asks nothing of the handling unit.
    const caseId = await submit(a);
    await completeStep(t, a.legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, a.reviewer, caseId, 'Task_review', reviewForm('同意'));
    const approved = await documentText(t, a.officer, caseId, 'review_opinion');
    expect(approved).not.toContain('申请复核');
    expect(approved).not.toContain('再次报送审核');
  });

  it('the 补正材料通知书 states the completion timer’s day and that its lapse withdraws the case', async () => {
    clock.set('2026-09-30T10:00:00+08:00');
    const caseId = await submit(a);
    await completeStep(t, a.legal, caseId, 'Task_accept', {
      complete: false,
      missing: '抽样检验报告原件：仅有复印件，请提交原件',
    });
    const task = await openTask(t, a.officer, caseId, 'Task_complete_packet');
    const timer = await pendingTimer(a, caseId, 'Timer_completion');
    expect(cnDay(timer.dueAt)).toBe('2026年10月10日');
    expect(cnDay(task.dueAt)).toBe(cnDay(timer.dueAt));
    const text = await documentText(t, a.officer, caseId, 'correction_notice');
    expect(text).toContain(`请于${cnDay(timer.dueAt)}前补正下列材料，并重新报送审核`);
    expect(text).toContain('逾期未补正的，视为撤回送审。');
    clock.set('2026-10-11T09:00:00+08:00');
    expect((await fireTimer(t.app.runtime, timer.id)).kind).toBe('fired');
    expect((await caseOf(t, a.officer, caseId)).status).toBe('withdrawn');
  });
});

describe('a department’s own limits', () => {
  it('dates follow the deployed definition: a P5WD contest timer, a 7-day correction, a P2WD completion timer', async () => {
    const xml = (await workflowFile('legal-review.bpmn'))
      .replace(/(<bpmn:boundaryEvent id="Timer_contest"[\s\S]*?<bpmn:timeDuration>)P3WD/, '$1P5WD')
      .replace(/(<bpmn:boundaryEvent id="Timer_completion"[\s\S]*?<bpmn:timeDuration>)P3WD/, '$1P2WD')
      .replace(
        /(<bpmn:userTask id="Task_correct"[^>]*?)fashen:deadlineWorkingDays="5"/,
        '$1fashen:deadlineWorkingDays="7"',
      );
    clock.set('2026-09-30T10:00:00+08:00');
    const a = await agency(xml);

    const contested = await reviewed(a, '不同意');
    const contest = await pendingTimer(a, contested, 'Timer_contest');
    expect(cnDay(contest.dueAt)).toBe('2026年10月13日');
    expect(cnDay((await openTask(t, a.officer, contested, 'Task_contest')).dueAt)).toBe(cnDay(contest.dueAt));
    expect(await documentText(t, a.officer, contested, 'review_opinion')).toContain(
      `${OBJECTION}${cnDay(contest.dueAt)}前提出书面异议，申请复核；逾期未提出的，${NOT_APPROVED}。`,
    );

    const returned = await reviewed(a, '退回补正');
    const correct = await openTask(t, a.officer, returned, 'Task_correct');
    expect(cnDay(correct.dueAt)).toBe('2026年10月15日');
    expect(await documentText(t, a.officer, returned, 'review_opinion')).toContain(
      `于${cnDay(correct.dueAt)}前再次报送审核。`,
    );

    const incomplete = await submit(a);
    await completeStep(t, a.legal, incomplete, 'Task_accept', {
      complete: false,
      missing: '现场检查笔录：缺少当事人签名',
    });
    const completion = await pendingTimer(a, incomplete, 'Timer_completion');
    expect(cnDay(completion.dueAt)).toBe('2026年10月9日');
    expect(await documentText(t, a.officer, incomplete, 'correction_notice')).toContain(
      `请于${cnDay(completion.dueAt)}前补正下列材料`,
    );
  });

  it('without the contest timer the day is the task’s own limit, and no lapse is claimed', async () => {
    const xml = (await workflowFile('legal-review.bpmn'))
      .replace(/<bpmn:boundaryEvent id="Timer_contest"[\s\S]*?<\/bpmn:boundaryEvent>/, '')
      .replace(/<bpmn:incoming>F_contest_late<\/bpmn:incoming>/, '')
      .replace(/<bpmn:sequenceFlow id="F_contest_late"[^>]*\/>/, '')
      .replace(/<bpmndi:BPMNShape id="Timer_contest_di"[\s\S]*?<\/bpmndi:BPMNShape>/, '')
      .replace(/<bpmndi:BPMNEdge id="F_contest_late_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '')
      .replace(/(<bpmn:userTask id="Task_contest"[^>]*?)>/, '$1 fashen:deadlineWorkingDays="4">');
    expect(xml).not.toContain('Timer_contest');
    clock.set('2026-09-30T10:00:00+08:00');
    const a = await agency(xml);
    const caseId = await reviewed(a, '不同意');
    const task = await openTask(t, a.officer, caseId, 'Task_contest');
    expect(cnDay(task.dueAt)).toBe('2026年10月12日');
    const text = await documentText(t, a.officer, caseId, 'review_opinion');
    expect(text).toContain(`${OBJECTION}${cnDay(task.dueAt)}前提出书面异议，申请复核。`);
    expect(text).not.toContain('逾期未提出');
  });
});

describe('a year whose holiday notice is not loaded', () => {
  it('says the day is counted Monday to Friday for now', async () => {
    clock.set('2035-03-07T10:00:00+08:00');
    const a = await agency(await workflowFile('legal-review.bpmn'));
    const caseId = await reviewed(a, '不同意');
    const timer = await pendingTimer(a, caseId, 'Timer_contest');
    // Wednesday 3/7/2035 + 3 working days Monday–Friday: Monday 3/12.
    expect(cnDay(timer.dueAt)).toBe('2035年3月12日');
    const text = await documentText(t, a.officer, caseId, 'review_opinion');
    expect(text).toContain(`${OBJECTION}${cnDay(timer.dueAt)}前提出书面异议`);
    expect(text).toContain('（上述日期暂按周一至周五推算，以国家公布的节假日安排为准。）');
  });
});
