import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { docxEntries } from './helpers/docx-zip.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, FACTS, packet, rereviewForm, reviewForm } from './helpers/review.js';

// 集体讨论 (行政处罚法第五十七条第二款): a case under a catalogue item marked for it is decided by the agency's
// leadership, convened by the chief with more than half of the list present, each voting in a 会签 task.

let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let legal: TestUser;
let admin: TestUser;
let leaders: TestUser[];
let departmentId: string;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  departmentId = d.id;
  officer = await t.newUser({ departmentId, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId, roles: ['legal_admin'] });
  admin = await t.newUser({ departmentId, roles: ['admin'] });
  const positions = ['局长', '副局长', '副局长', '副局长', '纪检组长'];
  leaders = [];
  for (const position of positions) leaders.push(await t.newUser({ departmentId, roles: ['chief'], position }));
  await deploy(t, legal, await workflowFile('legal-review-collective.bpmn'));
});
afterAll(() => t.close());

async function api(method: 'GET' | 'PUT' | 'POST', url: string, user: TestUser, payload?: unknown) {
  return t.app.inject({ method, url, headers: t.as(user), payload: payload as never });
}

/** A complex penalty (catalogue item C-07, marked for collective discussion), accepted and approved by review. */
async function reviewedComplexCase() {
  const res = await api('POST', '/api/cases', officer, { packet: packet(), facts: { ...FACTS, complex: true } });
  expect(res.statusCode).toBe(201);
  const { caseId, catalogueItem } = res.json();
  expect(catalogueItem).toMatchObject({ code: 'C-07', collectiveDiscussion: true });
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  return caseId as string;
}

async function openTasks(caseId: string, elementId: string) {
  const detail = (await api('GET', `/api/cases/${caseId}`, legal)).json();
  return detail.tasks.filter(
    (x: { elementId: string; status: string }) => x.elementId === elementId && x.status === 'open',
  ) as { id: string; assigneeId: string | null }[];
}

/** Fails with the response's body when it is not a success. */
async function ok(res: Promise<{ statusCode: number; body: string }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r;
}

async function complete(user: TestUser, taskId: string, form: Record<string, unknown>) {
  return api('POST', `/api/tasks/${taskId}/complete`, user, form);
}

describe('the leadership list', () => {
  it('is set by the admin with its quorum, and names only the agency own staff', async () => {
    const foreign = await t.newUser({ departmentId: (await t.newDepartment()).id, roles: ['chief'] });
    const refused = await api('PUT', `/api/departments/${departmentId}/leaders`, admin, {
      leaders: [{ userId: foreign.id, position: '局长' }],
    });
    expect(refused.statusCode).toBe(400);
    const res = await api('PUT', `/api/departments/${departmentId}/leaders`, admin, {
      leaders: leaders.map((l, i) => ({
        userId: l.id,
        position: ['局长', '副局长', '副局长', '副局长', '纪检组长'][i],
        presiding: i === 0,
      })),
    });
    expect(res.statusCode).toBe(200);
    const two = await api('PUT', `/api/departments/${departmentId}/leaders`, admin, {
      leaders: leaders.slice(0, 2).map((l) => ({ userId: l.id, position: '局长', presiding: true })),
    });
    expect(two.statusCode).toBe(400);
    expect(two.json().error.message).toContain('只能指定一人');
    expect(res.json()).toMatchObject({ quorum: 3 });
    expect(res.json().leaders.map((l: { userId: string }) => l.userId)).toEqual(leaders.map((l) => l.id));
  });
});

describe('a case needing 集体讨论', () => {
  it('refuses a discussion without a quorum, then is decided by 3 of 5 leaders with a dissent recorded', async () => {
    const caseId = await reviewedComplexCase();
    const [chair, second, dissenter] = leaders;
    const [convene] = await openTasks(caseId, 'Task_convene');
    expect(convene).toBeDefined();

    const short = await complete(chair, convene.id, {
      place: '局三楼会议室',
      attendees: [chair.username, second.username].join('\n'),
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().error).toMatchObject({ code: 'QUORUM_NOT_MET', details: { quorum: 3, attending: 2 } });
    expect(short.json().error.message).toContain('过半数');

    const convened = await complete(chair, convene.id, {
      place: '局三楼会议室',
      attendees: [chair, second, dissenter].map((l) => l.username).join('\n'),
    });
    expect(convened.statusCode).toBe(200);

    // 会签: one task per attendee, each assigned to that leader alone.
    const votes = await openTasks(caseId, 'Task_collective_vote');
    expect(votes.map((v) => v.assigneeId).sort()).toEqual([chair.id, second.id, dissenter.id].sort());
    const taskOf = (u: TestUser) => votes.find((v) => v.assigneeId === u.id)!.id;
    expect((await complete(second, taskOf(chair), { vote: '同意', opinion: '代签' })).statusCode).toBe(409);
    expect((await complete(chair, taskOf(chair), { vote: '同意', opinion: '事实清楚，同意。' })).statusCode).toBe(200);
    expect((await complete(second, taskOf(second), { vote: '同意', opinion: '裁量适当。' })).statusCode).toBe(200);
    const dissent = '当事人系初次违法，建议从轻处罚。';
    expect((await complete(dissenter, taskOf(dissenter), { vote: '不同意', opinion: dissent })).statusCode).toBe(200);

    // The chief's decision follows the majority: 不予作出决定 is refused beside the field.
    const [decide] = await openTasks(caseId, 'Task_chief_decision');
    const against = await complete(chair, decide.id, { decision: '不予作出决定', decisionReasons: '少数意见。' });
    expect(against.statusCode).toBe(400);
    expect(against.body).toContain('集体讨论');
    expect((await complete(chair, decide.id, { decision: '同意作出决定' })).statusCode).toBe(200);

    const rows = await t.db
      .selectFrom('case_records')
      .select('body')
      .where('case_id', '=', caseId)
      .orderBy('seq')
      .execute();
    const bodies = rows.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body));
    const discussed = bodies.find((b) => b.type === 'case.collective_discussed');
    expect(discussed.payload).toMatchObject({ result: 'agree', agree: 2, disagree: 1 });
    expect(discussed.payload.opinions).toContainEqual({
      userId: dissenter.id,
      name: expect.any(String),
      vote: '不同意',
      opinion: dissent,
    });
    expect(bodies.map((b) => b.type)).toEqual(
      expect.arrayContaining(['case.collective_convened', 'case.collective_discussed', 'case.chief_decided']),
    );

    const c = await caseOf(t, officer, caseId);
    const minutes = c.documents.find((d: { kind: string }) => d.kind === 'collective_record');
    expect(minutes).toMatchObject({ signedBy: chair.id });
    const file = await api('GET', `/api/cases/${caseId}/documents/${minutes.id}`, officer);
    expect(file.statusCode).toBe(200);
    const xml = (await docxEntries(file.rawPayload)).get('word/document.xml')!.toString('utf8');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('集体讨论记录');
    expect(text).toContain(dissent);
    expect(text).toContain('同意 2 人，不同意 1 人');
    expect(text).toContain('局三楼会议室');
    // The chief's decision says it was decided by the discussion, naming its minutes.
    const decision = c.documents.find((d: { kind: string }) => d.kind === 'chief_decision');
    const decisionFile = await api('GET', `/api/cases/${caseId}/documents/${decision.id}`, officer);
    const decisionText = (await docxEntries(decisionFile.rawPayload))
      .get('word/document.xml')!
      .toString('utf8')
      .replace(/<[^>]+>/g, '');
    expect(decisionText).toContain(
      `经本机关负责人集体讨论（集体讨论记录 ${minutes.number}），按出席人员过半数意见作出决定。`,
    );
  });
});

describe('a case needing 集体讨论 that comes back from a transfer', () => {
  it('is discussed again before the chief decides: its catalogue item still requires it', {
    timeout: 60_000,
  }, async () => {
    const partner = await t.newUser({ departmentId, roles: ['officer'] });
    const res = await api('POST', '/api/cases', officer, { packet: packet(), facts: { ...FACTS, complex: true } });
    const { caseId } = res.json();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('建议移送司法机关', '当事人销售金额已达刑事立案追诉标准。'),
      finding_crime_transfer: '是（需移送）',
      note_crime_transfer: '涉嫌销售伪劣产品罪，销售金额超过五万元',
    });
    // The leaders find that no administrative decision is to be made, and the chief transfers the case.
    const [chair, second, third] = leaders;
    const [convene] = await openTasks(caseId, 'Task_convene');
    const attendees = [chair, second, third];
    await ok(
      complete(chair, convene.id, { place: '局会议室', attendees: attendees.map((l) => l.username).join('\n') }),
    );
    const votes = await openTasks(caseId, 'Task_collective_vote');
    for (const l of attendees) {
      const task = votes.find((v) => v.assigneeId === l.id)!;
      await ok(complete(l, task.id, { vote: '不同意', opinion: '涉嫌犯罪，应当移送。' }));
    }
    const [decide] = await openTasks(caseId, 'Task_chief_decision');
    await ok(
      complete(chair, decide.id, {
        decision: '移送司法机关',
        decisionReasons: '集体讨论认为本案涉嫌犯罪，依法移送公安机关。',
      }),
    );
    expect((await caseOf(t, officer, caseId)).status).toBe('transferred');

    // The chief does not approve the transfer; the case returns to the agency (行政处罚法 第二十七条).
    const transfer = (path: string, user: TestUser, payload: object) =>
      api('POST', `/api/cases/${caseId}/transfer${path}`, user, payload);
    await ok(
      transfer('', officer, {
        policeOrgan: '盐城市公安局亭湖分局',
        procuratorate: '盐城市亭湖区人民检察院',
        teamIds: [officer.id, partner.id],
        reasons: '当事人销售不合格产品，销售金额六万四千元，涉嫌销售伪劣产品罪。',
        evidence: [
          { name: '涉嫌犯罪案件情况的调查报告', quantity: '1份' },
          { name: '涉案物品清单', quantity: '1份' },
        ],
      }),
    );
    await ok(transfer('/decision', chair, { approve: false, note: '销售金额证据不足，不予批准移送。' }));
    await ok(transfer('/return', legal, { reason: '负责人不批准移送，依法继续办理。' }));

    // Reviewed again, it goes to the leaders again, not straight to the chief.
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    expect(await openTasks(caseId, 'Task_convene')).toHaveLength(1);
    expect(await openTasks(caseId, 'Task_chief_decision')).toHaveLength(0);
  });
});

describe('the minutes of a discussion after a 复核', () => {
  it('state the conclusion of the opinion in force and its number, not the first review form', async () => {
    const res = await api('POST', '/api/cases', officer, { packet: packet(), facts: { ...FACTS, complex: true } });
    const { caseId } = res.json();
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('不同意', '罚款幅度过高。'),
      finding_discretion: '不符合',
      note_discretion: '罚款幅度高于裁量基准的中档',
    });
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '货值较大，中档适当。' });
    await completeStep(t, reviewer, caseId, 'Task_rereview', rereviewForm(false));
    const [chair, second, third] = leaders;
    const [convene] = await openTasks(caseId, 'Task_convene');
    await ok(
      complete(chair, convene.id, {
        place: '局三楼会议室',
        attendees: [chair, second, third].map((l) => l.username).join('\n'),
      }),
    );
    const votes = await openTasks(caseId, 'Task_collective_vote');
    for (const leader of [chair, second, third]) {
      const task = votes.find((v) => v.assigneeId === leader.id)!;
      await ok(complete(leader, task.id, { vote: '同意', opinion: '同意复核意见。' }));
    }
    const c = await caseOf(t, officer, caseId);
    const opinions = c.documents.filter((d: { kind: string }) => d.kind === 'review_opinion');
    expect(opinions).toHaveLength(2);
    const minutes = c.documents.find((d: { kind: string }) => d.kind === 'collective_record');
    const file = await api('GET', `/api/cases/${caseId}/documents/${minutes.id}`, officer);
    const text = (await docxEntries(file.rawPayload))
      .get('word/document.xml')!
      .toString('utf8')
      .replace(/<[^>]+>/g, '');
    const rereviewNumber = opinions.at(-1).number as string;
    expect(rereviewNumber).toMatch(/〔\d{4}〕\d+号$/);
    expect(text).toContain(`法制审核结论：同意（${rereviewNumber}）。`);
    expect(text).not.toContain('法制审核结论：不同意');
  });
});
