import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import {
  caseOf,
  completeStep,
  coordinationHeld,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
  today,
} from './helpers/review.js';

const clock = manualClock(new Date());
let t: TestApp;
let officer: TestUser;
let reviewer1: TestUser;
let reviewer2: TestUser;
let chief: TestUser;
let legal: TestUser;
let foreignOfficer: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  const other = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer1 = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  reviewer2 = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  foreignOfficer = await t.newUser({ departmentId: other.id, roles: ['officer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function submit(overrides: Record<string, unknown> = {}, facts = FACTS) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(overrides), facts },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as {
    caseId: string;
    reviewRequired: boolean;
    reason: string;
    catalogueItem: { code: string } | null;
  };
}

/** Submits and accepts a case; returns it with the reviewer it was assigned to. */
async function underReview() {
  const s = await submit();
  await completeStep(t, legal, s.caseId, 'Task_accept', { complete: true });
  const c = await caseOf(t, legal, s.caseId);
  const reviewer = [reviewer1, reviewer2].find((r) => r.id === c.reviewerId)!;
  return { ...s, reviewer };
}

describe('submitting a proposed decision', () => {
  it('says the review is mandatory and under which catalogue item', async () => {
    const s = await submit();
    expect(s.reviewRequired).toBe(true);
    expect(s.catalogueItem?.code).toBe('C-01');
    expect(s.reason).toContain('本案属于重大执法决定：行政处罚');
    const c = await caseOf(t, officer, s.caseId);
    expect(c).toMatchObject({ status: 'accepting', currentRound: 1 });
    expect(c.tasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Task_accept']);
  });

  it('records a decision outside the catalogue directly, without review', async () => {
    const s = await submit({ proposedDecision: '罚款二千元。' }, { ...FACTS, amount: 2000 });
    expect(s.reviewRequired).toBe(false);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${s.caseId}/decision`,
      headers: t.as(officer),
      payload: { number: '市监罚〔2026〕1号', date: '2026-11-20', content: '罚款二千元' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('refuses to record a decision that needs review before it has passed (未经法制审核不得作出决定)', async () => {
    const s = await submit();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${s.caseId}/decision`,
      headers: t.as(officer),
      payload: { number: '市监罚〔2026〕2号', date: '2026-11-20', content: '罚款' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('REVIEW_NOT_PASSED');
    expect(res.json().error.message).toContain('未经法制审核或者审核未通过的，不得作出决定');
  });

  it('hides the case from another department (404)', async () => {
    const s = await submit();
    const res = await t.app.inject({ url: `/api/cases/${s.caseId}`, headers: t.as(foreignOfficer) });
    expect(res.statusCode).toBe(404);
  });
});

describe('the review paths', () => {
  it('approve: review, signed opinion, chief decides, decision recorded', async () => {
    const { caseId, reviewer } = await underReview();
    const review = await openTask(t, reviewer, caseId, 'Task_review');
    expect(review.assigneeId).toBe(reviewer.id);
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
    await completeStep(t, officer, caseId, 'Task_record_decision', {
      decisionNumber: '市监罚〔2026〕18号',
      decisionDate: today(clock.now()),
      decisionContent: '没收不合格产品，并处罚款六万四千元。',
    });
    const c = await caseOf(t, officer, caseId);
    expect(c).toMatchObject({ status: 'decided', reviewPassed: true, decision: { number: '市监罚〔2026〕18号' } });
    expect(c.opinions).toHaveLength(1);
    expect(c.opinions[0]).toMatchObject({ conclusion: 'approve', reviewerId: reviewer.id });
    expect(c.opinions[0].findings).toHaveLength(11);
    const opinionDoc = c.documents.find((d: { kind: string }) => d.kind === 'review_opinion');
    expect(opinionDoc).toMatchObject({ signedBy: reviewer.id });
    const file = await t.app.inject({ url: `/api/cases/${caseId}/documents/${opinionDoc.id}`, headers: t.as(officer) });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const types = c.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'case.submitted',
        'case.reviewer_assigned',
        'review.opinion_signed',
        'case.chief_decided',
        'case.decided',
      ]),
    );
  });

  it('return → correct → resubmit as round 2 with its changes → approve', async () => {
    const { caseId, reviewer } = await underReview();
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '证据不足，缺少检验机构资质证明。'),
      suggestions: '补充检验机构资质证明',
    });
    let c = await caseOf(t, officer, caseId);
    expect(c.status).toBe('correcting');
    const revised = { ...c.packet, evidence: [...c.packet.evidence, { name: '检验机构资质证明' }] };
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/cases/${caseId}/packet`,
      headers: t.as(officer),
      payload: revised,
    });
    expect(put.statusCode).toBe(204);
    await completeStep(t, officer, caseId, 'Task_correct', { correctionNote: '已补充检验机构资质证明' });
    c = await caseOf(t, officer, caseId);
    expect(c).toMatchObject({ status: 'reviewing', currentRound: 2 });
    expect(c.rounds[1].changes.map((x: { field: string }) => x.field)).toEqual(['evidence']);
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    c = await caseOf(t, officer, caseId);
    expect(c.opinions.map((o: { round: number; conclusion: string }) => [o.round, o.conclusion])).toEqual([
      [1, 'return'],
      [2, 'approve'],
    ]);
    expect(c.status).toBe('deciding');
  });

  it('disagree → re-review → coordination → the chief overrides only with written reasons', async () => {
    const { caseId, reviewer } = await underReview();
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('不同意', '裁量明显不当。'));
    await completeStep(t, officer, caseId, 'Task_contest', {
      contest: true,
      contestReasons: '裁量符合基准，理由见补充说明。',
    });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(true));
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...coordinationHeld(clock.now()),
      handlingPosition: '拟按一倍罚款',
      reviewPosition: '应按最低幅度',
      outcome: '未达成一致（报请负责人决定）',
      coordinationNote: '双方未能达成一致，提请负责人决定。',
      participants: '张三 执法科 科长\n李四 法规科 科长',
    });
    const task = await openTask(t, chief, caseId, 'Task_chief_decision');
    const bare = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(chief),
      payload: { decision: '同意作出决定' },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.message).toContain('必须书面说明理由');
    expect((await caseOf(t, chief, caseId)).status).toBe('deciding');
    await completeStep(t, chief, caseId, 'Task_chief_decision', {
      decision: '同意作出决定',
      decisionReasons: '当事人系初次违法且货值较大，按基准中档处罚适当。',
    });
    const c = await caseOf(t, officer, caseId);
    expect(c.chiefDecision).toMatchObject({ decision: 'approve', overrides: ['review'], decidedBy: chief.id });
    expect(c.opinions.map((o: { kind: string }) => o.kind)).toEqual(['review', 'rereview']);
    expect(c.documents.map((d: { kind: string }) => d.kind)).toEqual(
      expect.arrayContaining(['review_opinion', 'coordination_record', 'chief_decision']),
    );
    const decided = c.timeline.find((e: { type: string }) => e.type === 'case.chief_decided');
    expect(decided.payload).toMatchObject({ responsible: chief.id });
    await completeStep(t, officer, caseId, 'Task_record_decision', {
      decisionNumber: '市监罚〔2026〕19号',
      decisionDate: today(clock.now()),
      decisionContent: '没收不合格产品，并处罚款六万四千元。',
    });
    expect((await caseOf(t, officer, caseId)).status).toBe('decided');
  });

  it('incomplete packet → completion limit passes → case withdrawn', async () => {
    const s = await submit();
    await completeStep(t, legal, s.caseId, 'Task_accept', {
      complete: false,
      missing: '抽样检验报告原件：仅有复印件，请提交原件\n听证告知书送达回证',
    });
    const c = await caseOf(t, officer, s.caseId);
    expect(c.status).toBe('completing');
    expect(c.documents.map((d: { kind: string }) => d.kind)).toEqual(['correction_notice']);
    const timer = await t.db
      .selectFrom('timers')
      .select(['id', 'due_at'])
      .where('instance_id', '=', c.instanceId)
      .where('element_id', '=', 'Timer_completion')
      .executeTakeFirstOrThrow();
    expect(await fireTimer(t.app.runtime, timer.id)).toMatchObject({ kind: 'early' });
    clock.set(new Date(timer.due_at.getTime() + 60_000));
    try {
      expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    } finally {
      clock.set(new Date());
    }
    const after = await caseOf(t, officer, s.caseId);
    expect(after.status).toBe('withdrawn');
    expect(after.tasks.filter((x: { status: string }) => x.status === 'open')).toEqual([]);
  });

  it('reviewer overdue → escalated to the legal unit', async () => {
    const { caseId } = await underReview();
    const review = await openTask(t, legal, caseId, 'Task_review');
    expect(review.dueAt).not.toBeNull();
    const timer = await t.db
      .selectFrom('timers')
      .select(['id', 'due_at'])
      .where('task_id', '=', review.id)
      .where('kind', '=', 'task_deadline')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    clock.set(new Date(timer.due_at.getTime() + 1000));
    try {
      expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
      const list = (await t.app.inject({ url: '/api/tasks?deadlineState=overdue', headers: t.as(legal) })).json();
      expect(list.items.find((x: { id: string }) => x.id === review.id)).toMatchObject({ escalatedTo: 'legal_admin' });
    } finally {
      clock.set(new Date());
    }
  });

  it('a conflicted reviewer is replaced and may no longer complete the review', async () => {
    const { caseId, reviewer } = await underReview();
    const other = reviewer.id === reviewer1.id ? reviewer2 : reviewer1;
    const declared = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/conflicts`,
      headers: t.as(reviewer),
      payload: { userId: reviewer.id, reason: '本人与当事人法定代表人系近亲属' },
    });
    expect(declared.json()).toEqual({ reassignedTo: other.id });
    const task = await openTask(t, legal, caseId, 'Task_review');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(reviewer),
      payload: reviewForm('同意'),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('TASK_ASSIGNED_TO_OTHER');
    await completeStep(t, other, caseId, 'Task_review', reviewForm('同意'));
    expect((await caseOf(t, other, caseId)).opinions[0].reviewerId).toBe(other.id);
  });
});
