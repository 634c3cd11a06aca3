import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { verifyStore } from '../server/records/verify-all.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { multipart, sample } from './helpers/evidence.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { html, pageSession } from './helpers/pages.js';
import { caseOf, completeStep, FACTS, openTask, packet, reviewForm, today } from './helpers/review.js';

// Dates in November 2026 (no holidays): 11/2 is a Monday.
const clock = manualClock('2026-11-02T09:00:00+08:00');
let t: TestApp;
let officer: TestUser;
let chief: TestUser;
let legal: TestUser;
let reviewers: TestUser[];
let supervisor: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewers = [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })];
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  const bureau = await t.newDepartment({ name: '市司法局' });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function submit() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  expect(res.statusCode).toBe(201);
  return res.json().caseId as string;
}

const event = (caseId: string, body: Record<string, unknown>, user = officer) =>
  t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/stages/events`, headers: t.as(user), payload: body });

async function ok(caseId: string, body: Record<string, unknown>, user = officer) {
  const res = await event(caseId, body, user);
  if (res.statusCode !== 201) throw new Error(`${body.type}: ${res.statusCode} ${res.body}`);
  return res.json() as { eventId: string; stageId: string; reopenedRound: number | null };
}

const stages = async (caseId: string) =>
  (await t.app.inject({ url: `/api/cases/${caseId}/stages`, headers: t.as(officer) })).json();

/** 受理 → 法制审核（同意）→ 负责人决定（同意）: the case waits at 记录执法决定. */
async function reviewThrough(caseId: string) {
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  const c = await caseOf(t, legal, caseId);
  const reviewer = reviewers.find((r) => r.id === c.reviewerId)!;
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
}

function recordDecision(caseId: string, content = '没收不合格产品，并处罚款六万四千元。') {
  return openTask(t, officer, caseId, 'Task_record_decision').then((task) =>
    t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: t.as(officer),
      payload: { decisionNumber: '市监罚〔2026〕31号', decisionDate: today(clock.now()), decisionContent: content },
    }),
  );
}

function uploadToStage(caseId: string, stageId: string, name: string, content: Buffer) {
  const body = multipart([{ name, content }]);
  return t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/stages/${stageId}/files`,
    headers: { ...t.as(officer), 'content-type': body.contentType },
    payload: body.payload,
  });
}

async function recordTypes(caseId: string) {
  const res = await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(officer) });
  return res.json().items.map((r: { type: string }) => r.type) as string[];
}

async function verified(caseId: string) {
  const v = (await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(officer) })).json();
  expect(v).toMatchObject({ ok: true, firstProblem: null });
}

describe('the case lifecycle around the review', () => {
  it('告知 → no hearing → decision: refused until the 陈述申辩 period passed, then decided, served and archived', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await reviewThrough(caseId);
    // The stage panel names the review's conclusion in Chinese, not by its code.
    expect((await (await pageSession(t, officer)).get(`/cases/${caseId}/stages`)).body).toContain(
      '第 1 轮报送（同意）',
    );
    const notice = await ok(caseId, {
      type: 'notice_served',
      date: '2026-11-02',
      hearingRight: false,
      statementWorkingDays: 3,
    });
    expect((await stages(caseId)).stages.find((s: { id: string }) => s.id === notice.stageId).details).toMatchObject({
      statementDue: '2026-11-05',
      hearingRequestDue: null,
    });

    clock.set('2026-11-05T16:00:00+08:00');
    const early = await recordDecision(caseId);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'PROCEDURE_NOT_COMPLETE' });
    expect(early.json().error.message).toContain('陈述、申辩期限至2026年11月5日届满');
    expect(await recordTypes(caseId)).toContain('case.gate_refused');

    clock.set('2026-11-06T09:00:00+08:00');
    expect((await recordDecision(caseId)).statusCode).toBe(200);
    const served = await ok(caseId, { type: 'served', date: '2026-11-06', method: 'direct', recipient: '张三' });
    expect((await stages(caseId)).flags.map((f: { code: string }) => f.code)).toEqual(['proof_missing']);
    const proof = await uploadToStage(caseId, served.stageId, '送达回证.pdf', sample.pdf(2000));
    expect(proof.statusCode).toBe(201);
    expect(proof.json().items[0]).toMatchObject({ purpose: 'proof', mediaType: 'application/pdf' });
    await ok(caseId, { type: 'executed', date: '2026-11-06', mode: 'voluntary' });
    await ok(caseId, { type: 'archived', date: '2026-11-06' });
    const view = await stages(caseId);
    expect(view).toMatchObject({ decided: true, archivedOn: '2026-11-06', flags: [] });
    expect(view.stages.map((s: { kind: string }) => s.kind)).toEqual([
      'filing',
      'notice',
      'service',
      'execution',
      'archive',
    ]);
    expect(await recordTypes(caseId)).toEqual(
      expect.arrayContaining([
        'lifecycle.filed',
        'lifecycle.notice_served',
        'case.decided',
        'lifecycle.served',
        'lifecycle.archived',
      ]),
    );
    await verified(caseId);
  });

  it('a waiver of 陈述、申辩 does not waive the hearing: the request window holds until that is waived too', async () => {
    clock.set('2026-11-02T09:30:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await reviewThrough(caseId);
    const notice = await ok(caseId, {
      type: 'notice_served',
      date: '2026-11-02',
      hearingRight: true,
      statementWorkingDays: 3,
    });
    clock.set('2026-11-03T15:00:00+08:00');
    await ok(caseId, { type: 'statement', date: '2026-11-03', waived: true });
    const refused = await recordDecision(caseId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('要求听证');
    await ok(caseId, { type: 'statement', date: '2026-11-03', waived: true, hearingWaived: true });
    expect((await recordDecision(caseId)).statusCode).toBe(200);
    // The period's end comes after the decision the waivers allowed: it is no longer a fact of the case.
    const period = await t.db
      .selectFrom('timers')
      .select('id')
      .where('execution_id', '=', `lifecycle_notice_period:${notice.stageId}`)
      .executeTakeFirstOrThrow();
    clock.set('2026-11-20T09:00:00+08:00');
    expect(await fireTimer(t.app.runtime, period.id)).toEqual({ kind: 'stale', reason: 'decided' });
    expect(await recordTypes(caseId)).not.toContain('lifecycle.notice_period_ended');
  });

  it('告知 → hearing requested → held → facts changed → a new round of 法制审核 → decision', async () => {
    clock.set('2026-11-02T10:00:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    await reviewThrough(caseId);
    await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: true });
    clock.set('2026-11-04T10:00:00+08:00');
    await ok(caseId, { type: 'hearing_requested', date: '2026-11-04' });
    // 七日前通知: notified on 11/4, the hearing cannot be before the seventh working day after it (11/13).
    const soon = await event(caseId, {
      type: 'hearing_notified',
      date: '2026-11-04',
      hearingDate: '2026-11-12',
      hearingTime: '09:30',
      place: '第一听证室',
      presiderId: legal.id,
    });
    expect(soon.statusCode).toBe(400);
    expect(soon.json().error.details).toMatchObject({ field: 'hearingDate', earliest: '2026-11-13' });
    await ok(caseId, {
      type: 'hearing_notified',
      date: '2026-11-04',
      hearingDate: '2026-11-13',
      hearingTime: '09:30',
      place: '第一听证室',
      presiderId: legal.id,
    });

    clock.set('2026-11-10T10:00:00+08:00'); // the notice periods have passed, the hearing has not been held
    const refused = await recordDecision(caseId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('听证尚未举行');

    clock.set('2026-11-13T15:00:00+08:00');
    const held = await ok(caseId, {
      type: 'hearing_held',
      date: '2026-11-13',
      factsChanged: true,
      revisedFacts: '经听证查明，当事人已主动召回已售产品一百台，货值金额六万四千元。',
    });
    expect(held.reopenedRound).toBe(2);
    const reopened = await caseOf(t, officer, caseId);
    expect(reopened).toMatchObject({ status: 'accepting', currentRound: 2 });
    // The packet sent to the second review states the hearing (the first said 未经听证) and the revised facts.
    expect(reopened.packet).toMatchObject({ hearingHeld: true, factsFound: expect.stringContaining('经听证查明') });
    expect(
      reopened.tasks
        .filter((x: { status: string }) => x.status === 'open')
        .map((x: { elementId: string }) => x.elementId),
    ).toEqual(['Task_accept']);
    await reviewThrough(caseId);
    expect((await recordDecision(caseId)).statusCode).toBe(200);
    const view = await stages(caseId);
    expect(view.reviewRounds.map((r: { round: number }) => r.round)).toEqual([1, 2]);
    expect(view.flags.map((f: { code: string }) => f.code)).toEqual(['recording_missing']); // the hearing's
    expect(await recordTypes(caseId)).toEqual(
      expect.arrayContaining(['lifecycle.hearing_held', 'instance.superseded', 'case.resubmitted', 'case.decided']),
    );
    await verified(caseId);
  });

  it('告知 → hearing held, facts unchanged → judged again with 经过听证 → a new round of 法制审核 → decision', async () => {
    // A fine below every catalogue threshold, reviewed at the officer's request: only the statutory floor's
    // 经过听证 item (行政处罚法第五十八条第一款第（二）项) makes its review mandatory once the hearing is held.
    clock.set('2026-11-02T10:30:00+08:00');
    const small = () => ({
      packet: packet({ proposedDecision: '责令改正，并处罚款三千元。' }),
      facts: { ...FACTS, amount: 3000 },
    });
    const hear = async (caseId: string) => {
      clock.set('2026-11-02T10:30:00+08:00');
      await ok(caseId, { type: 'filed', date: '2026-11-02' });
      await ok(caseId, { type: 'notice_served', date: '2026-11-02', hearingRight: true });
      clock.set('2026-11-04T10:00:00+08:00');
      await ok(caseId, { type: 'hearing_requested', date: '2026-11-04' });
      await ok(caseId, {
        type: 'hearing_notified',
        date: '2026-11-04',
        hearingDate: '2026-11-13',
        hearingTime: '09:30',
        place: '第一听证室',
        presiderId: legal.id,
      });
      clock.set('2026-11-13T15:00:00+08:00');
      return ok(caseId, { type: 'hearing_held', date: '2026-11-13', factsChanged: false });
    };
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: t.as(officer),
      payload: { ...small(), requestReview: true },
    });
    const caseId = submitted.json().caseId as string;
    expect(await caseOf(t, officer, caseId)).toMatchObject({ reviewMandatory: false, status: 'accepting' });
    await reviewThrough(caseId);
    const held = await hear(caseId);
    expect(held.reopenedRound).toBe(2);
    const reopened = await caseOf(t, officer, caseId);
    expect(reopened).toMatchObject({ status: 'accepting', currentRound: 2, reviewMandatory: true });
    expect(reopened.packet).toMatchObject({ hearingHeld: true });
    await reviewThrough(caseId);
    expect((await recordDecision(caseId, '责令改正，并处罚款三千元。')).statusCode).toBe(200);

    // Submitted without review (无需审核): the hearing makes review mandatory, so the case is sent to 法制审核
    // for the first time on a packet stating 经过听证; a decision recorded directly is refused meanwhile.
    const direct = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as(officer), payload: small() });
    const unreviewed = direct.json().caseId as string;
    expect((await caseOf(t, officer, unreviewed)).status).toBe('not_required');
    expect((await hear(unreviewed)).reopenedRound).toBe(2);
    const sent = await caseOf(t, officer, unreviewed);
    expect(sent).toMatchObject({ status: 'accepting', currentRound: 2, reviewMandatory: true });
    expect(sent.packet).toMatchObject({ hearingHeld: true });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${unreviewed}/decision`,
      headers: t.as(officer),
      payload: { number: '市监罚〔2026〕32号', date: '2026-11-13', content: '责令改正，并处罚款三千元。' },
    });
    expect(refused.statusCode).toBe(409);
    await reviewThrough(unreviewed);
    expect((await recordDecision(unreviewed, '责令改正，并处罚款三千元。')).statusCode).toBe(200);
    await verified(unreviewed);
  });

  it('refuses to close a 查封扣押 without an audio or video recording, and flags the missing one', async () => {
    clock.set('2026-11-02T11:00:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    const seizure = await ok(caseId, { type: 'stage_opened', kind: 'seizure', date: '2026-11-02', actors: ['王五'] });
    const close = { type: 'stage_closed', stageId: seizure.stageId, date: '2026-11-02' };
    expect((await stages(caseId)).flags).toEqual([
      expect.objectContaining({ code: 'recording_missing', stageId: seizure.stageId }),
    ]);
    expect((await uploadToStage(caseId, seizure.stageId, '查封清单.pdf', sample.pdf(2000))).statusCode).toBe(201);
    const refused = await event(caseId, close);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'RECORDING_REQUIRED' });
    // A file named like a video is not one: the type is read from the content.
    const fake = await uploadToStage(caseId, seizure.stageId, '现场.mp4', sample.pdf(2000));
    expect(fake.json().items[0].purpose).toBe('document');
    expect((await event(caseId, close)).statusCode).toBe(409);
    expect(
      (await uploadToStage(caseId, seizure.stageId, '执法记录仪.mp4', sample.mp4(4000))).json().items[0].purpose,
    ).toBe('recording');
    expect((await event(caseId, close)).statusCode).toBe(201);
    expect((await stages(caseId)).flags).toEqual([]);
  });

  it('records an event sent twice with the same id once', async () => {
    clock.set('2026-11-02T11:30:00+08:00');
    const caseId = await submit();
    const first = await event(caseId, { type: 'filed', date: '2026-11-02', externalId: 'sys-1' });
    const again = await event(caseId, { type: 'filed', date: '2026-11-02', externalId: 'sys-1' });
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json()).toMatchObject({ duplicate: true, eventId: first.json().eventId });
    expect((await recordTypes(caseId)).filter((x) => x === 'lifecycle.filed')).toHaveLength(1);
  });

  it('runs the 90-day limit from 立案 as a timer: one extension approved by the chief, then overdue on the clock', async () => {
    clock.set('2026-11-02T12:00:00+08:00');
    const caseId = await submit();
    await ok(caseId, { type: 'filed', date: '2026-11-02' });
    const timers = () =>
      t.db
        .selectFrom('timers')
        .select(['id', 'kind', 'due_at', 'status'])
        .where('execution_id', 'like', `%:${caseId}`)
        .orderBy('created_at')
        .execute();
    const [limit] = await timers();
    // 九十日 counted in calendar days: 2027-01-31 is a Sunday, so the limit rolls to Monday 2027-02-01.
    expect(limit).toMatchObject({ kind: 'lifecycle_limit', status: 'pending' });
    expect(limit.due_at.toISOString()).toBe(new Date('2027-02-01T23:59:59+08:00').toISOString());
    const ext = {
      type: 'limit_extended',
      date: '2026-11-02',
      days: 30,
      basis: '《市场监督管理行政处罚程序规定》',
      reason: '案情复杂',
    };
    expect((await event(caseId, ext)).statusCode).toBe(403); // the officer cannot approve it
    await ok(caseId, ext, chief);
    expect((await event(caseId, ext, chief)).json().error.message).toContain('只能延长一次');
    const after = await timers();
    expect(after.find((x) => x.id === limit.id)?.status).toBe('cancelled');
    const extended = after.find((x) => x.kind === 'lifecycle_limit' && x.status === 'pending')!;
    expect((await stages(caseId)).decisionDueOn).toBe('2027-03-03');
    expect(await fireTimer(t.app.runtime, extended.id)).toMatchObject({ kind: 'early' });
    clock.set('2027-03-04T00:00:05+08:00');
    expect(await fireTimer(t.app.runtime, extended.id)).toEqual({ kind: 'fired' });
    expect(await fireTimer(t.app.runtime, extended.id)).toEqual({ kind: 'stale', reason: 'fired' });
    const view = await stages(caseId);
    expect(view.overdue).toBe(true);
    expect(view.flags.map((f: { code: string }) => f.code)).toContain('limit_overdue');
    expect(await recordTypes(caseId)).toContain('lifecycle.limit_overdue');
    const store = await verifyStore({ db: t.db, trusted: t.app.records.trusted, files: t.app.records.files });
    expect(store.ok).toBe(true);
  });

  it('is recorded on the stage panel; the case page, the supervisor and the reviewer (程序 point) show it', async () => {
    clock.set('2026-11-16T09:00:00+08:00');
    const caseId = await submit();
    const page = await pageSession(t, officer);
    expect((await page.get(`/cases/${caseId}`)).body).toContain('尚未记录立案');
    expect((await page.get(`/cases/${caseId}/stages`)).body).toContain('记录立案');
    const post = (fields: Record<string, string>) => page.post(`/cases/${caseId}/stages`, fields);
    expect((await post({ type: 'filed', date: '2026-11-16' })).statusCode).toBe(303);
    await page.get(`/cases/${caseId}/stages`);
    expect(
      (await post({ type: 'stage_opened', kind: 'onsite', date: '2026-11-16', actors: '王五、赵六' })).statusCode,
    ).toBe(303);
    await page.get(`/cases/${caseId}/stages`);
    const notice = { type: 'notice_served', date: '2026-11-16', statementWorkingDays: '5', hearingRight: 'on' };
    expect((await post(notice)).statusCode).toBe(303);
    const refused = await post({
      type: 'hearing_notified',
      date: '2026-11-16',
      hearingDate: '2026-11-30',
      hearingTime: '09:30',
      place: '听证室',
      presiderId: legal.id,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('当事人没有待举行的听证要求');

    const casePage = (await page.get(`/cases/${caseId}`)).body;
    expect(casePage).toContain('现场执法（2026-11-16）缺少音像记录');
    expect(casePage).toContain('陈述、申辩期限至2026年11月23日届满');
    const number = (await caseOf(t, officer, caseId)).caseNumber;
    const bureau = await t.app.inject({
      url: '/supervisor',
      headers: html,
      cookies: { fashen_session: supervisor.token },
    });
    expect(bureau.body).toMatch(new RegExp(`${number}</a>[^<]*现场执法（2026-11-16）`));

    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const c = await caseOf(t, legal, caseId);
    const reviewer = reviewers.find((r) => r.id === c.reviewerId)!;
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const form = await t.app.inject({
      url: `/tasks/${task.id}`,
      headers: html,
      cookies: { fashen_session: reviewer.token },
    });
    expect(form.body).toContain(
      '事先告知 2026-11-16，陈述、申辩期限至 2026-11-23，告知听证权利（要求听证期限至 2026-11-23）',
    );
    expect(form.body).toContain('现场执法 2026-11-16（进行中）');
  });
});
