import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { multipart, sample } from './helpers/evidence.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { FACTS, packet } from './helpers/review.js';

// 执法监督: the justice bureau's opinions and correction notices, the agency's answers, review and overdue.
const START = '2026-11-25T02:00:00Z'; // Wednesday
const clock = manualClock(START);
let t: TestApp;
let agency: { id: string };
let officer: TestUser;
let legal: TestUser;
let otherLegal: TestUser;
let supervisor: TestUser;
let caseId: string;

const OPINION = {
  kind: 'opinion',
  subject: '罚款数额的裁量说理不充分',
  findings: '该案适用裁量基准时未说明从轻情节的认定依据。',
  requirements: '请补充裁量说理，并对同类案件开展自查。',
  legalBasis: '《行政执法监督条例》第二十一条',
  workingDays: 10,
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  agency = await t.newDepartment({ name: '监督测试市场监督管理局' });
  const other = await t.newDepartment({ name: '监督测试交通运输局' });
  const bureau = await t.newDepartment({ name: '监督测试司法局' });
  officer = await t.newUser({ departmentId: agency.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: agency.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  caseId = res.json().caseId;
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

const issue = (payload: Record<string, unknown>, user = supervisor) =>
  t.app.inject({ method: 'POST', url: '/api/supervision/opinions', headers: t.as(user), payload });
const get = (id: string, user: TestUser) =>
  t.app.inject({ url: `/api/supervision/opinions/${id}`, headers: t.as(user) });
const answer = (id: string, user: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/supervision/opinions/${id}/answer`, headers: t.as(user), payload });
const review = (id: string, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/supervision/opinions/${id}/review`,
    headers: t.as(supervisor),
    payload,
  });
const recordTypes = async () =>
  (await t.db.selectFrom('case_records').select('body').where('case_id', '=', caseId).orderBy('seq').execute()).map(
    (r) => (JSON.parse(r.body) as { type: string }).type,
  );

describe('supervision (监督意见、纠正通知)', () => {
  it('issues an opinion on a case: due in working days, a signed document, the case record', async () => {
    const res = await issue({ ...OPINION, caseId });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    // 10 working days from Wednesday 25 November: the end of Wednesday 9 December, Beijing time.
    expect(item.dueAt).toMatch(/^2026-12-09T15:59:59/);
    expect(item).toMatchObject({ agencyId: agency.id, caseId, status: 'open', overdue: false, kindLabel: '监督意见' });
    expect(item.documentNumber).toMatch(/执监意〔2026〕1号$/);
    const doc = await t.db
      .selectFrom('documents')
      .select(['kind', 'case_id', 'signed_by'])
      .where('id', '=', item.documentId)
      .executeTakeFirstOrThrow();
    expect(doc).toEqual({ kind: 'supervision_opinion', case_id: caseId, signed_by: supervisor.id });
    const sig = await t.db
      .selectFrom('document_signatures')
      .select('user_id')
      .where('document_id', '=', item.documentId)
      .executeTakeFirst();
    expect(sig?.user_id).toBe(supervisor.id);
    const file = await t.app.inject({ url: `/api/supervision/opinions/${item.id}/document`, headers: t.as(legal) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    expect(await recordTypes()).toContain('supervision.issued');
    const timer = await t.db
      .selectFrom('timers')
      .select(['status', 'due_at'])
      .where('execution_id', '=', `supervision_deadline:${item.id}`)
      .executeTakeFirstOrThrow();
    expect(timer).toEqual({ status: 'pending', due_at: new Date(item.dueAt) });
  });

  it('runs answer, send back, answer again and accept, each step in the case record', async () => {
    const item = (await issue({ ...OPINION, kind: 'correction', caseId, workingDays: 5 })).json();
    expect(item.documentNumber).toMatch(/执监纠〔2026〕1号$/);
    // Another agency neither sees nor answers it.
    expect((await get(item.id, otherLegal)).statusCode).toBe(404);
    expect((await answer(item.id, otherLegal, { answer: '已整改。' })).statusCode).toBe(404);
    const otherList = await t.app.inject({ url: '/api/supervision/opinions', headers: t.as(otherLegal) });
    expect(otherList.json().items).toEqual([]);
    // The case's officer may not answer for the agency; a supervisor may not answer either.
    expect((await answer(item.id, officer, { answer: '已整改。' })).statusCode).toBe(403);
    // Nothing to review yet.
    expect((await review(item.id, { verdict: 'accepted' })).statusCode).toBe(409);

    const body = multipart([{ name: '整改报告.pdf', content: sample.pdf(), type: 'application/pdf' }]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/opinions/${item.id}/files`,
      headers: { ...t.as(legal), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().items[0].id;
    const foreign = multipart([{ name: 'x.pdf', content: sample.pdf(), type: 'application/pdf' }]);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/opinions/${item.id}/files`,
      headers: { ...t.as(otherLegal), 'content-type': foreign.contentType },
      payload: foreign.payload,
    });
    expect(refused.statusCode).toBe(404);

    const first = await answer(item.id, legal, { answer: '已补充裁量说理。', fileIds: [fileId] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'answered', answers: [{ round: 1, fileIds: [fileId] }] });
    expect((await answer(item.id, legal, { answer: '再报一次。' })).statusCode).toBe(409);
    expect((await review(item.id, { verdict: 'returned' })).statusCode).toBe(422);
    const back = await review(item.id, { verdict: 'returned', note: '自查范围不全，请补充同类案件的自查情况。' });
    expect(back.json()).toMatchObject({ status: 'returned', returnedCount: 1, overdue: false });
    const open = (await t.app.inject({ url: '/api/supervision/opinions?state=open', headers: t.as(legal) })).json();
    expect(open.items.map((i: { id: string }) => i.id)).toContain(item.id);
    // A file already sent with an answer does not go again.
    expect((await answer(item.id, legal, { answer: '再次报送。', fileIds: [fileId] })).statusCode).toBe(422);
    expect((await answer(item.id, legal, { answer: '已对同类 12 件案件自查，均已补充说理。' })).statusCode).toBe(200);
    const done = await review(item.id, { verdict: 'accepted', note: '认可。' });
    expect(done.json()).toMatchObject({
      status: 'accepted',
      overdue: false,
      answers: [{ verdict: 'returned' }, { verdict: 'accepted' }],
    });
    const types = await recordTypes();
    for (const type of ['supervision.answered', 'supervision.returned', 'supervision.accepted']) {
      expect(types).toContain(type);
    }
    const verify = await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(legal) });
    expect(verify.json().ok, verify.body).toBe(true);
    const timer = await t.db
      .selectFrom('timers')
      .select('status')
      .where('execution_id', '=', `supervision_deadline:${item.id}`)
      .executeTakeFirstOrThrow();
    expect(timer.status).toBe('cancelled');
  });

  it('flags an unanswered item overdue when its timer fires, and one sent back after the due date', async () => {
    const res = await issue({ ...OPINION, departmentId: agency.id, workingDays: 3 });
    const item = res.json();
    expect(item.caseId).toBeNull();
    const timer = await t.db
      .selectFrom('timers')
      .select('id')
      .where('execution_id', '=', `supervision_deadline:${item.id}`)
      .executeTakeFirstOrThrow();
    expect(await fireTimer(t.app.runtime, timer.id)).toMatchObject({ kind: 'early' });
    clock.set('2026-12-01T01:00:00Z');
    expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    const overdue = (
      await t.app.inject({ url: '/api/supervision/opinions?state=overdue', headers: t.as(legal) })
    ).json();
    expect(overdue.items.find((x: { id: string }) => x.id === item.id)).toMatchObject({ overdue: true });

    // Answered in time, sent back after the due date: overdue from then on.
    clock.set(START);
    const second = (await issue({ ...OPINION, departmentId: agency.id, workingDays: 3 })).json();
    await answer(second.id, legal, { answer: '已整改。' });
    const t2 = await t.db
      .selectFrom('timers')
      .select('id')
      .where('execution_id', '=', `supervision_deadline:${second.id}`)
      .executeTakeFirstOrThrow();
    clock.set('2026-12-01T01:00:00Z');
    expect(await fireTimer(t.app.runtime, t2.id)).toMatchObject({ kind: 'stale' });
    expect((await get(second.id, legal)).json().overdue).toBe(false);
    const back = await review(second.id, { verdict: 'returned', note: '未附整改材料。' });
    expect(back.json()).toMatchObject({ status: 'returned', overdue: true });
  });

  it('refuses an agency to issue, and a case together with another agency', async () => {
    expect((await issue({ ...OPINION, departmentId: agency.id }, legal)).statusCode).toBe(403);
    const other = (
      await t.db.selectFrom('users').select('department_id').where('id', '=', otherLegal.id).executeTakeFirstOrThrow()
    ).department_id;
    expect((await issue({ ...OPINION, caseId, departmentId: other })).statusCode).toBe(400);
    expect((await issue({ ...OPINION })).statusCode).toBe(400);
  });
});
