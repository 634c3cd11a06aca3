import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import {
  caseOf,
  completeStep,
  coordinationHeld,
  documentText,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
} from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let reviewers: TestUser[];
let chief: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewers = [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })];
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'], position: '副局长' });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(overrides), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

describe('rounds counted as a practitioner counts them', () => {
  it('completing the packet at acceptance is no review: the first substantive review prints 第一次审核', async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', {
      complete: false,
      missing: '抽样检验报告原件：仅有复印件，请提交原件',
    });
    expect(await documentText(t, officer, caseId, 'correction_notice')).toContain('你单位第一次报送审核的');
    await completeStep(t, officer, caseId, 'Task_complete_packet', { correctionNote: '已补充抽样检验报告原件' });
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const reviewer = reviewers[0];
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '证据不足。'),
      finding_evidence: '不符合',
      note_evidence: '缺少检验机构资质证明',
    });
    const first = await documentText(t, officer, caseId, 'review_opinion', 0);
    expect(first).toContain('你单位第一次报送审核的');
    expect(first).toContain('第一次审核');
    expect(first).not.toContain('第二次');
    await completeStep(t, officer, caseId, 'Task_correct', { correctionNote: '已补充检验机构资质证明' });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    const second = await documentText(t, officer, caseId, 'review_opinion', 1);
    expect(second).toContain('你单位第二次报送审核的');
    expect(second).toContain('第二次审核');
    expect((await caseOf(t, officer, caseId)).currentRound).toBe(3);
    void chief;
  });
});

/** A case reviewed and approved (同意), waiting for the chief. */
async function approved(overrides: Record<string, unknown> = {}) {
  const caseId = await submit(overrides);
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewers[0], caseId, 'Task_review', reviewForm('同意'));
  return caseId;
}

const shanghaiDate = (offsetDays: number) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);

async function tryRecord(caseId: string, form: Record<string, unknown>) {
  const task = await openTask(t, officer, caseId, 'Task_record_decision');
  return t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/complete`,
    headers: t.as(officer),
    payload: { decisionNumber: '市监罚〔2026〕31号', ...form },
  });
}

describe("the chief's decision and its recording", () => {
  it("keeps and prints the reasons of a decision that agrees, signed with the chief's own position", async () => {
    const caseId = await approved();
    const reasons = '事实清楚，证据充分，同意法制审核意见。';
    await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定', decisionReasons: reasons });
    const text = await documentText(t, officer, caseId, 'chief_decision');
    expect(text).toContain('本决定与法制审核机构的意见一致');
    expect(text).toContain(`决定理由：${reasons}`);
    expect(text).toContain('（副局长）');
    expect(text).not.toContain('主要负责人');
    const c = await caseOf(t, officer, caseId);
    expect(c.chiefDecision).toMatchObject({ reasons, overrides: [] });
    const event = c.timeline.find((e: { type: string }) => e.type === 'case.chief_decided');
    expect(event.payload).toMatchObject({ reasons });
  });

  it('takes the title from the position an admin edits', async () => {
    const admin = await t.newUser({ departmentId: chief.departmentId, roles: ['admin'] });
    const deputy = await t.newUser({ departmentId: chief.departmentId, roles: ['chief'] });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${deputy.id}`,
      headers: t.as(admin),
      payload: { position: '局长' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().position).toBe('局长');
    const caseId = await approved();
    await completeStep(t, deputy, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
    expect(await documentText(t, officer, caseId, 'chief_decision')).toMatch(/负责人：\S+（局长）/);
  });

  it('checks the decision date and compares the content with what was reviewed; a difference needs a reason', async () => {
    const caseId = await approved();
    await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
    const proposal = packet().proposedDecision;
    const early = await tryRecord(caseId, { decisionDate: shanghaiDate(-1), decisionContent: proposal });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('早于负责人决定日期');
    const future = await tryRecord(caseId, { decisionDate: shanghaiDate(1), decisionContent: proposal });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toContain('晚于今天');
    const changed = '没收不合格产品，并处罚款八万元。';
    const unexplained = await tryRecord(caseId, { decisionDate: shanghaiDate(0), decisionContent: changed });
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.json().error.message).toContain('与经法制审核的拟作决定不一致，须说明理由');
    expect(unexplained.json().error.message).toContain(proposal);
    expect(unexplained.json().error.message).toContain(changed);
    expect((await caseOf(t, officer, caseId)).status).toBe('recording');
    const reason = '经核算货值金额有误，按更正后的货值计算罚款。';
    const ok = await tryRecord(caseId, {
      decisionDate: shanghaiDate(0),
      decisionContent: changed,
      deviationReason: reason,
    });
    expect(ok.statusCode).toBe(200);
    const c = await caseOf(t, officer, caseId);
    expect(c).toMatchObject({ status: 'decided', decision: { content: changed, deviationReason: reason } });
    const event = c.timeline.find((e: { type: string }) => e.type === 'case.decided');
    expect(event.payload).toMatchObject({ deviationReason: reason });
  });

  it("compares with the chief's modified decision, which 修改后作出决定 must state", async () => {
    const caseId = await approved();
    const task = await openTask(t, chief, caseId, 'Task_chief_decision');
    const bare = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(chief),
      payload: { decision: '修改后作出决定', decisionReasons: '罚款幅度应按裁量基准下调。' },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.message).toContain('修改后的决定内容');
    const modified = '没收不合格产品，并处罚款三万二千元。';
    await completeStep(t, chief, caseId, 'Task_chief_decision', {
      decision: '修改后作出决定',
      decisionReasons: '罚款幅度应按裁量基准下调。',
      modifiedDecision: modified,
    });
    expect(await documentText(t, officer, caseId, 'chief_decision')).toContain(`修改后的决定内容：${modified}`);
    const asProposed = await tryRecord(caseId, {
      decisionDate: shanghaiDate(0),
      decisionContent: packet().proposedDecision,
    });
    expect(asProposed.statusCode).toBe(400);
    expect(asProposed.json().error.message).toContain('与负责人修改后的决定不一致');
    expect((await tryRecord(caseId, { decisionDate: shanghaiDate(0), decisionContent: modified })).statusCode).toBe(
      200,
    );
  });
});

async function tryComplete(user: TestUser, caseId: string, elementId: string, form: Record<string, unknown>) {
  const task = await openTask(t, user, caseId, elementId);
  return t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/complete`, headers: t.as(user), payload: form });
}

const fieldsOf = (res: { json(): { error: { details: { fields: { field: string }[] } } } }) =>
  res.json().error.details.fields.map((f) => f.field);

describe('a re-review is a new opinion, and the crime point is a question', () => {
  it('a 复核 that changes to 同意 has its own findings and cannot list 不符合', async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewers[0], caseId, 'Task_review', {
      ...reviewForm('不同意', '罚款幅度过高。'),
      finding_discretion: '不符合',
      note_discretion: '罚款幅度高于裁量基准的中档',
      suggestions: '建议按裁量基准最低档处罚。',
    });
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '货值较大，中档适当。' });
    const inconsistent = await tryComplete(reviewers[0], caseId, 'Task_rereview', {
      ...rereviewForm(false),
      finding_discretion: '不符合',
      note_discretion: '仍偏高',
    });
    expect(inconsistent.statusCode).toBe(400);
    expect(fieldsOf(inconsistent)).toContain('maintain');
    const unexplained = await tryComplete(reviewers[0], caseId, 'Task_rereview', {
      ...rereviewForm(true),
      note_discretion: '',
    });
    expect(unexplained.statusCode).toBe(400);
    expect(fieldsOf(unexplained)).toContain('note_discretion');
    await completeStep(t, reviewers[0], caseId, 'Task_rereview', rereviewForm(false));
    const c = await caseOf(t, officer, caseId);
    expect(c.opinions.map((o: { kind: string; conclusion: string }) => [o.kind, o.conclusion])).toEqual([
      ['review', 'disapprove'],
      ['rereview', 'approve'],
    ]);
    const rereview = c.opinions[1].findings as { point: string; finding: string }[];
    expect(rereview.filter((f) => f.finding === 'nonconform')).toEqual([]);
    const text = await documentText(t, officer, caseId, 'review_opinion', 1);
    expect(text).toContain('（复核）');
    expect(text).toContain('第一次审核（复核）');
    expect(text).toContain('第一次审核意见提出的异议收悉');
    expect(text).not.toContain('不符合');
    expect(text).not.toContain('罚款幅度高于裁量基准的中档');
    // The 复核 form asks no suggestions: the first review's are its own, not printed again under an approval.
    expect(await documentText(t, officer, caseId, 'review_opinion', 0)).toContain('建议按裁量基准最低档处罚。');
    expect(text).not.toContain('修改或补正建议');
    expect(c.opinions[1].suggestions).toBeNull();
  });

  it('the crime point is answered 否 or 是（需移送）, which needs a note and a transfer conclusion', async () => {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const old = await tryComplete(reviewers[0], caseId, 'Task_review', {
      ...reviewForm('同意'),
      finding_crime_transfer: '符合',
    });
    expect(old.statusCode).toBe(400);
    expect(fieldsOf(old)).toContain('finding_crime_transfer');
    const crime = { finding_crime_transfer: '是（需移送）' };
    const bare = await tryComplete(reviewers[0], caseId, 'Task_review', { ...reviewForm('同意'), ...crime });
    expect(bare.statusCode).toBe(400);
    expect(fieldsOf(bare)).toEqual(expect.arrayContaining(['note_crime_transfer', 'conclusion']));
    await completeStep(t, reviewers[0], caseId, 'Task_review', {
      ...reviewForm('建议移送司法机关', '当事人销售金额已达刑事立案追诉标准。'),
      ...crime,
      note_crime_transfer: '涉嫌销售伪劣产品罪，销售金额超过五万元',
    });
    const text = await documentText(t, officer, caseId, 'review_opinion');
    expect(text).toMatch(/涉嫌犯罪移送\s*是（需移送）/);
    const c = await caseOf(t, officer, caseId);
    expect(c.opinions[0].findings.find((f: { point: string }) => f.point === 'crime_transfer')).toMatchObject({
      finding: 'transfer_required',
    });
  });
});

describe('coordination (协调) ends in agreement or goes to the chief, and says which', () => {
  /** A case whose review said 不同意, contested, and maintained at re-review: now at coordination. */
  async function atCoordination() {
    const caseId = await submit();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewers[0], caseId, 'Task_review', {
      ...reviewForm('不同意', '罚款幅度过高。'),
      finding_discretion: '不符合',
      note_discretion: '罚款幅度高于裁量基准的中档',
    });
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '货值较大，中档适当。' });
    await completeStep(t, reviewers[0], caseId, 'Task_rereview', rereviewForm(true));
    return caseId;
  }
  const meeting = {
    ...coordinationHeld(),
    handlingPosition: '拟按货值一倍罚款',
    reviewPosition: '应按裁量基准中档以下',
    coordinationNote: '双方就裁量幅度交换意见。',
    participants: '张三 执法稽查局 局长\n李四 法规科 科长',
  };
  /** The handling unit's head confirms the agreed conclusion before the coordination is completed. */
  async function confirmAgreement(caseId: string, outcome: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/coordination/confirmations`,
      headers: t.as(officer),
      payload: { outcome },
    });
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  }

  it('agreement with the review closes the case the way an accepted opinion does', async () => {
    const caseId = await atCoordination();
    await confirmAgreement(caseId, 'agree_with_review');
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...meeting,
      outcome: '达成一致（承办机构采纳法制审核意见）',
    });
    const c = await caseOf(t, officer, caseId);
    expect(c.status).toBe('not_approved');
    expect(c.tasks.filter((x: { status: string }) => x.status === 'open')).toEqual([]);
    const text = await documentText(t, officer, caseId, 'coordination_record');
    expect(text).toContain('承办机构采纳法制审核机构的意见');
    expect(text).not.toContain('仍不一致');
  });

  it('agreement with the handling unit goes to the chief, who then overrides no one', async () => {
    const caseId = await atCoordination();
    await confirmAgreement(caseId, 'agree_with_handling');
    await completeStep(t, legal, caseId, 'Task_coordinate', {
      ...meeting,
      outcome: '达成一致（法制审核机构同意承办机构意见）',
    });
    const text = await documentText(t, officer, caseId, 'coordination_record');
    expect(text).toContain('法制审核机构同意承办机构的意见');
    expect(text).not.toContain('仍不一致');
    await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
    const c = await caseOf(t, officer, caseId);
    expect(c.chiefDecision).toMatchObject({ decision: 'approve', overrides: [] });
    expect(await documentText(t, officer, caseId, 'chief_decision')).toContain(
      '协调结果：达成一致（法制审核机构同意承办机构意见）',
    );
  });

  it('no agreement goes to the chief and says so', async () => {
    const caseId = await atCoordination();
    await completeStep(t, legal, caseId, 'Task_coordinate', { ...meeting, outcome: '未达成一致（报请负责人决定）' });
    expect(await documentText(t, officer, caseId, 'coordination_record')).toContain('意见仍不一致，报请机关负责人决定');
    expect((await caseOf(t, officer, caseId)).status).toBe('deciding');
  });
});
