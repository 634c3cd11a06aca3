import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import { completeStep, FACTS, packet, reviewForm } from './helpers/review.js';

// 行政处罚法 art. 48(2): a published decision that is 变更、撤销、确认违法或者确认无效 is withdrawn, with the reason
// published. A decision corrected before it is published is not published at all (不予公开), and its withdrawal
// reason, being published, holds no personal data.
const START = '2026-11-25T02:00:00Z'; // Wednesday; a penalty decided today is due Friday 2026-12-04
const clock = manualClock(START);
let t: TestApp;
let bpmn: string;

interface Agency {
  officer: TestUser;
  reviewer: TestUser;
  chief: TestUser;
  legal: TestUser;
}

const DECISION = '没收违法所得，并处罚款五万元。';
const PERSON = { type: 'person', name: '王建国', idCode: '110105199003071234', address: '南京市鼓楼区中山北路100号' };

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  bpmn = await workflowFile('legal-review.bpmn');
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

/** An agency of its own, so that its list and statistics hold only what a test put there. */
async function newAgency(name: string): Promise<Agency> {
  const d = await t.newDepartment({ name });
  const [officer, reviewer, chief, legal] = await Promise.all(
    (['officer', 'reviewer', 'chief', 'legal_admin'] as const).map((r) =>
      t.newUser({ departmentId: d.id, roles: [r] }),
    ),
  );
  await deploy(t, legal, bpmn);
  return { officer, reviewer, chief, legal };
}

/** A penalty on a natural person through the review, decided on 2026-11-25: its disclosure is pending. */
async function decidedPenalty(a: Agency, number: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(a.officer),
    payload: {
      packet: packet({ party: PERSON, title: '王建国无证经营食品案', proposedDecision: DECISION }),
      facts: FACTS,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { caseId } = res.json() as { caseId: string };
  await completeStep(t, a.legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, a.reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, a.chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  await completeStep(t, a.officer, caseId, 'Task_record_decision', {
    decisionNumber: number,
    decisionDate: '2026-11-25',
    decisionContent: DECISION,
  });
  const list = (await t.app.inject({ url: '/api/disclosures?limit=200', headers: t.as(a.legal) })).json();
  const d = list.items.find((x: { caseId: string }) => x.caseId === caseId);
  return { caseId, id: d.id as string };
}

const detail = async (a: Agency, id: string) =>
  (await t.app.inject({ url: `/api/disclosures/${id}`, headers: t.as(a.legal) })).json();

function approve(a: Agency, id: string, redacted: Record<string, string>) {
  const { partyCode: _code, ...fields } = redacted;
  return t.app.inject({
    method: 'POST',
    url: `/api/disclosures/${id}/approve`,
    headers: t.as(a.legal),
    payload: { redacted: fields },
  });
}

async function publishedPenalty(a: Agency, number: string) {
  const d = await decidedPenalty(a, number);
  const ok = await approve(a, d.id, (await detail(a, d.id)).redacted);
  expect(ok.statusCode, ok.body).toBe(200);
  return d;
}

function withdraw(a: Agency, id: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/disclosures/${id}/withdraw`,
    headers: t.as(a.legal),
    payload: body,
  });
}

/** The outcome of a 复议 (effective 2026-11-26) recorded by the legal unit on 2026-11-27. */
async function corrected(a: Agency, caseId: string, outcome: string) {
  clock.set('2026-11-27T02:00:00Z');
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/challenges`,
    headers: t.as(a.legal),
    payload: {
      kind: 'reconsideration',
      organ: '市人民政府',
      outcome,
      decidedOn: '2026-11-26',
      documentNumber: '市政复决字〔2026〕7号',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function timersOf(id: string) {
  return t.db
    .selectFrom('timers')
    .select(['id', 'kind', 'status', 'due_at'])
    .where('execution_id', 'like', `%:${id}`)
    .orderBy('due_at')
    .execute();
}

describe('a decision corrected before it is published', () => {
  it.each([
    ['revoked', '撤销'],
    ['confirmed_void', '确认无效'],
    ['changed', '变更'],
  ])(
    '%s: is not published (不予公开), with the outcome as the reason, and approving it is refused',
    async (outcome, label) => {
      const a = await newAgency(`纠错未公开测试局-${outcome}`);
      const d = await decidedPenalty(a, `纠测罚〔2026〕${outcome}号`);
      const before = await detail(a, d.id);
      expect(await corrected(a, d.caseId, outcome)).toMatchObject({ correcting: true, disclosure: 'unpublished' });
      const after = await detail(a, d.id);
      expect(after).toMatchObject({
        state: 'cancelled',
        withdrawal: null,
        cancellation: { reason: `市人民政府行政复议${label}（市政复决字〔2026〕7号）`, at: '2026-11-27T02:00:00.000Z' },
      });
      expect(after.events.map((e: { type: string }) => e.type)).toContain('disclosure.cancelled');
      const res = await approve(a, d.id, before.redacted);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain(`不予公开`);
      expect(res.json().error.message).toContain(`行政复议${label}`);
      expect((await detail(a, d.id)).state).toBe('cancelled');
      expect((await t.app.inject({ url: `/api/public/decisions/${d.id}` })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/public/decisions/${d.id}` })).statusCode).toBe(404);
    },
  );

  it('leaves its deadline: it never becomes overdue, in the list, on the page or in the statistics', async () => {
    const a = await newAgency('纠错期限测试局');
    const d = await decidedPenalty(a, '纠测罚〔2026〕21号');
    await corrected(a, d.caseId, 'revoked');
    const timers = await timersOf(d.id);
    expect(timers.map((x) => [x.kind, x.status])).toEqual([
      ['disclosure_reminder', 'cancelled'],
      ['disclosure_deadline', 'cancelled'],
    ]);
    const deadline = timers.find((x) => x.kind === 'disclosure_deadline');
    clock.set(new Date((deadline?.due_at.getTime() ?? 0) + 60_000));
    expect(await fireTimer(t.app.runtime, deadline?.id ?? '')).toMatchObject({ kind: 'stale' });
    expect(await detail(a, d.id)).toMatchObject({ state: 'cancelled' });
    const overdue = (await t.app.inject({ url: '/api/disclosures?state=overdue', headers: t.as(a.legal) })).json();
    expect(overdue).toEqual({ items: [], overdue: 0 });
    const open = (await t.app.inject({ url: '/api/disclosures?state=open', headers: t.as(a.legal) })).json();
    expect(open.items).toEqual([]);
    const cancelled = (await t.app.inject({ url: '/api/disclosures?state=cancelled', headers: t.as(a.legal) })).json();
    expect(cancelled.items.map((x: { id: string }) => x.id)).toEqual([d.id]);
    const cookie = { cookie: `fashen_session=${a.legal.token}` };
    const page = await t.app.inject({ url: '/publicity', headers: cookie });
    expect(page.body).not.toContain('纠测罚〔2026〕21号');
    const listed = await t.app.inject({ url: '/publicity?state=cancelled', headers: cookie });
    expect(listed.body).toContain('纠测罚〔2026〕21号');
    expect(listed.body).toContain('不予公开');
    expect(listed.body).not.toContain('逾期未撤回');
    const figures = (await t.app.inject({ url: '/api/statistics/own?year=2026', headers: t.as(a.legal) })).json();
    expect(figures.decisions.penalty).toBe(1);
    expect(figures.disclosures).toEqual({ total: 0, published: 0, onTime: 0, overdue: 0, withdrawn: 0 });
  });

  it('is not withdrawn either: there is nothing on the portal, and the refusal says why', async () => {
    const a = await newAgency('纠错撤下测试局');
    const d = await decidedPenalty(a, '纠测罚〔2026〕31号');
    await corrected(a, d.caseId, 'confirmed_void');
    const res = await withdraw(a, d.id, { ground: 'confirmed_void', reason: '经行政复议确认无效' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('不予公开');
    expect((await t.app.inject({ url: '/api/public/withdrawals' })).body).not.toContain('纠测罚〔2026〕31号');
  });

  it('once published, is still to be withdrawn within three working days', async () => {
    const a = await newAgency('纠错已公开测试局');
    const d = await publishedPenalty(a, '纠测罚〔2026〕41号');
    expect(await corrected(a, d.caseId, 'changed')).toMatchObject({ disclosure: 'published' });
    expect(await detail(a, d.id)).toMatchObject({
      state: 'published',
      cancellation: null,
      withdrawal: { dueAt: '2026-12-01T15:59:59.000Z', overdue: false },
    });
  });
});

describe('the published withdrawal reason', () => {
  const LEAKY = '当事人王建国（身份证号110101199003074477，手机13912345678）申请行政复议，原决定被撤销。';

  it('is refused while it holds personal data, naming what was found; the decision stays up', async () => {
    const a = await newAgency('撤下原因测试局');
    const d = await publishedPenalty(a, '撤测罚〔2026〕1号');
    const res = await withdraw(a, d.id, { ground: 'revoked', reason: LEAKY });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    for (const kind of ['自然人姓名', '身份证号码', '手机号码']) expect(error.message).toContain(kind);
    expect(error.details.remaining.map((x: { kind: string }) => x.kind).sort()).toEqual([
      'id_card',
      'mobile',
      'person_name',
    ]);
    expect((await detail(a, d.id)).state).toBe('published');
    expect((await t.app.inject({ url: `/api/public/decisions/${d.id}` })).statusCode).toBe(200);
    for (const url of ['/api/public/withdrawals', '/public/withdrawals']) {
      expect((await t.app.inject({ url })).body).not.toMatch(/王建国|110101199003074477|13912345678/);
    }
  });

  it('is refused on the workbench form with the message, not an error page', async () => {
    const a = await newAgency('撤下表单测试局');
    const d = await publishedPenalty(a, '撤测罚〔2026〕2号');
    const page = await pageSession(t, a.legal);
    await page.get(`/publicity/${d.id}`);
    const res = await page.post(`/publicity/${d.id}/withdraw`, { ground: 'revoked', reason: LEAKY });
    expect(res.statusCode).toBe(303);
    const shown = await page.get(res.headers.location as string);
    expect(shown.body).toContain('撤下原因将向社会公开，其中含有个人信息（');
    expect(shown.body).toContain('身份证号码');
    expect((await detail(a, d.id)).state).toBe('published');
  });

  it('is published when clean, or when the reviewer confirms what was found is public (a service line)', async () => {
    const a = await newAgency('撤下确认测试局');
    const d = await publishedPenalty(a, '撤测罚〔2026〕3号');
    const reason = '原决定经行政复议被撤销，咨询电话025-86612345。';
    expect((await withdraw(a, d.id, { ground: 'revoked', reason })).statusCode).toBe(400);
    const ok = await withdraw(a, d.id, { ground: 'revoked', reason, confirmRemaining: true });
    expect(ok.statusCode, ok.body).toBe(200);
    const notice = await t.app.inject({ url: `/public/decisions/${d.id}` });
    expect(notice.statusCode).toBe(410);
    expect(notice.body).toContain(`决定被撤销：${reason}`);
  });
});

describe('withdrawal grounds', () => {
  it.each([
    ['changed', '决定被变更'],
    ['confirmed_void', '决定被确认无效'],
  ])('include %s, published as %s', async (ground, label) => {
    const a = await newAgency(`撤下事由测试局-${ground}`);
    const d = await publishedPenalty(a, `事由罚〔2026〕${ground}号`);
    const page = await t.app.inject({
      url: `/publicity/${d.id}`,
      headers: { cookie: `fashen_session=${a.legal.token}` },
    });
    expect(page.body).toContain(`<option value="${ground}">${label}</option>`);
    const res = await withdraw(a, d.id, { ground, reason: '经行政复议纠正' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reason).toBe(`${label}：经行政复议纠正`);
    const list = (await t.app.inject({ url: '/api/public/withdrawals' })).json();
    expect(list.items.find((x: { id: string }) => x.id === d.id)?.reason).toBe(`${label}：经行政复议纠正`);
  });
});
