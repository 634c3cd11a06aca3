import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, FACTS, packet, reviewForm } from './helpers/review.js';

const START = '2026-11-25T02:00:00Z';
const clock = manualClock(START);
let t: TestApp;
let dept: { id: string; code: string };
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;
let otherLegal: TestUser;

const PERSON = {
  type: 'person',
  name: '王建国',
  idCode: '110105199003071234',
  address: '南京市鼓楼区中山北路100号3栋502室',
};
const PERSON_FACTS =
  '经查，当事人王建国（身份证号110101199003074477，手机13912345678）于2026年3月在南京市鼓楼区中山北路100号经营未经许可的食品摊点，收款账户6222020200112233446。';

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  dept = await t.newDepartment({ name: '市场监督管理局公示测试' });
  const other = await t.newDepartment();
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: dept.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

async function submit(overrides: Record<string, unknown>, facts = FACTS) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(overrides), facts },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { caseId: string };
}

/** A penalty on a natural person through the whole review, decision recorded; returns its disclosure. */
async function decidedPenalty(number: string) {
  const { caseId } = await submit({
    party: PERSON,
    factsFound: PERSON_FACTS,
    title: '王建国无证经营食品案',
    proposedDecision: '没收违法所得，并处罚款五万元。联系电话025-86612345。',
  });
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  await completeStep(t, officer, caseId, 'Task_record_decision', {
    decisionNumber: number,
    decisionDate: '2026-11-25',
    decisionContent: '没收违法所得，并处罚款五万元。联系电话025-86612345。',
  });
  return disclosureOfCase(caseId);
}

async function disclosureOfCase(caseId: string) {
  const list = await t.app.inject({ url: '/api/disclosures?limit=200', headers: t.as(legal) });
  const item = list.json().items.find((d: { caseId: string }) => d.caseId === caseId);
  if (!item) throw new Error(`no disclosure for case ${caseId}`);
  return item as { id: string; caseId: string; dueAt: string; state: string };
}

async function detail(id: string, user = legal) {
  return (await t.app.inject({ url: `/api/disclosures/${id}`, headers: t.as(user) })).json();
}

async function approve(id: string) {
  const d = await detail(id);
  const { partyCode: _code, ...redacted } = d.redacted;
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/disclosures/${id}/approve`,
    headers: t.as(legal),
    payload: { redacted },
  });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
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

describe('a recorded decision creates its disclosure', () => {
  it('with the 7-working-day deadline of a penalty and durable reminder and deadline timers', async () => {
    const d = await decidedPenalty('市监罚〔2026〕101号');
    expect(d.state).toBe('pending');
    expect(d.dueAt).toBe('2026-12-04T15:59:59.000Z'); // 7th working day after Wed 25 Nov, 23:59:59 +08:00
    const timers = await timersOf(d.id);
    expect(timers.map((x) => [x.kind, x.status])).toEqual([
      ['disclosure_reminder', 'pending'],
      ['disclosure_deadline', 'pending'],
    ]);
    const outbox = await t.db.selectFrom('outbox').select('payload').where('topic', '=', 'timer.schedule').execute();
    expect(outbox.map((o) => o.payload.timerId)).toEqual(expect.arrayContaining(timers.map((x) => x.id)));
  });

  it('proposes a redaction that masks the person but nothing of the agency', async () => {
    const d = await detail((await decidedPenalty('市监罚〔2026〕102号')).id);
    expect(d.original.facts).toContain('110101199003074477');
    expect(d.redacted.party).toBe('王某某');
    expect(d.redacted.partyCode).toBe('');
    expect(d.redacted.facts).toContain('1101**********4477');
    expect(d.redacted.facts).toContain('139****5678');
    expect(d.redacted.facts).toContain('6222***********3446');
    expect(d.redacted.facts).not.toContain('王建国');
    expect(d.redacted.facts).toContain('南京市鼓楼区****');
    expect(d.redacted.decision).toContain('025-******45');
    expect(d.findings.length).toBeGreaterThanOrEqual(6);
  });

  it('for a decision recorded outside the catalogue, with 20 working days for a coercion', async () => {
    const { caseId } = await submit(
      { category: 'coercion', proposedDecision: '查封当事人经营场所。' },
      { ...FACTS, amount: 2000, measure: 'seal' },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/decision`,
      headers: t.as(officer),
      payload: { number: '市监强〔2026〕3号', date: '2026-11-25', content: '查封场所' },
    });
    expect(res.statusCode).toBe(201);
    const d = await disclosureOfCase(caseId);
    expect(d.dueAt).toBe('2026-12-23T15:59:59.000Z');
    const full = await detail(d.id);
    expect(full.redacted.party).toBe('某某贸易有限公司');
    expect(full.redacted.partyCode).toBe('91320900MA1XXXXX0X');
  });
});

describe('deadlines', () => {
  it('reminds, then marks the disclosure overdue on the legal unit dashboard', async () => {
    const d = await decidedPenalty('市监罚〔2026〕103号');
    const [reminder, deadline] = await timersOf(d.id);
    clock.set(new Date(reminder.due_at.getTime() + 1000));
    expect(await fireTimer(t.app.runtime, reminder.id)).toEqual({ kind: 'fired' });
    expect((await detail(d.id)).state).toBe('due_soon');
    clock.set(new Date(deadline.due_at.getTime() + 1000));
    expect(await fireTimer(t.app.runtime, deadline.id)).toEqual({ kind: 'fired' });
    const overdue = (await t.app.inject({ url: '/api/disclosures?state=overdue', headers: t.as(legal) })).json();
    expect(overdue.items.map((x: { id: string }) => x.id)).toContain(d.id);
    expect(overdue.overdue).toBeGreaterThanOrEqual(1);
    const page = await t.app.inject({ url: '/publicity', headers: { cookie: `fashen_session=${legal.token}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已超期');
    expect(page.body).toContain('<td>2026年11月25日</td>'); // the decision date as a reader writes it
    const casePage = await t.app.inject({
      url: `/cases/${d.caseId}`,
      headers: { cookie: `fashen_session=${legal.token}` },
    });
    expect(casePage.body).toContain('<dt>决定日期</dt><dd>2026年11月25日</dd>');
    expect((await detail(d.id)).events.map((e: { type: string }) => e.type)).toEqual([
      'disclosure.created',
      'disclosure.reminded',
      'disclosure.overdue',
    ]);
  });

  it('does nothing when a reminder fires for a disclosure already published', async () => {
    const d = await decidedPenalty('市监罚〔2026〕104号');
    const [reminder] = await timersOf(d.id);
    await approve(d.id);
    expect((await timersOf(d.id)).find((x) => x.id === reminder.id)?.status).toBe('cancelled');
    expect(await fireTimer(t.app.runtime, reminder.id)).toMatchObject({ kind: 'stale' });
  });
});

describe('publication, search and withdrawal', () => {
  it('publishes the approved text, which the portal finds by party, agency and free text, without personal data', async () => {
    const d = await decidedPenalty('市监罚〔2026〕105号');
    const r = await approve(d.id);
    expect(r).toMatchObject({ status: 'published', timely: true, retentionUntil: '2028-11-25' });
    const byText = (await t.app.inject({ url: `/api/public/decisions?q=${encodeURIComponent('食品摊点')}` })).json();
    const hit = byText.items.find((x: { id: string }) => x.id === d.id);
    expect(hit).toMatchObject({ party: '王某某', agency: '市场监督管理局公示测试', category: 'penalty' });
    expect(JSON.stringify(byText)).not.toMatch(/王建国|110101199003074477|13912345678|6222020200112233446/);
    const byParty = (
      await t.app.inject({
        url: `/api/public/decisions?party=${encodeURIComponent('王某某')}&agency=${dept.id}&category=penalty&from=2026-11-01&to=2026-11-30`,
      })
    ).json();
    expect(byParty.items.map((x: { id: string }) => x.id)).toContain(d.id);
    const miss = (await t.app.inject({ url: `/api/public/decisions?q=${encodeURIComponent('摊点食品')}` })).json();
    expect(miss.items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    const page = await t.app.inject({ url: `/public/decisions?q=${encodeURIComponent('食品摊点')}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    expect(page.body).toContain('市监罚〔2026〕105号');
  });

  it('refuses publication while the reviewed text still holds personal data, unless confirmed', async () => {
    const d = await decidedPenalty('市监罚〔2026〕106号');
    const full = await detail(d.id);
    const { partyCode: _c, ...redacted } = full.redacted;
    const leaky = { ...redacted, facts: `${redacted.facts}联系人手机13800138000。` };
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${d.id}/approve`,
      headers: t.as(legal),
      payload: { redacted: leaky },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.remaining[0]).toMatchObject({ kind: 'mobile' });
    const withheld = { ...redacted, facts: `${redacted.facts}【涉及商业秘密的配方】` };
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${d.id}/approve`,
      headers: t.as(legal),
      payload: { redacted: withheld },
    });
    expect(ok.statusCode).toBe(200);
    const pub = (await t.app.inject({ url: `/api/public/decisions/${d.id}` })).json();
    expect(pub.facts).toContain('【此处内容不予公开】');
    expect(pub.facts).not.toContain('配方');
  });

  it('takes a withdrawn decision off the portal, publishing the withdrawal and its reason only', async () => {
    const d = await decidedPenalty('市监罚〔2026〕107号');
    await approve(d.id);
    expect((await t.app.inject({ url: `/api/public/decisions/${d.id}` })).statusCode).toBe(200);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${d.id}/withdraw`,
      headers: t.as(otherLegal),
      payload: { ground: 'revoked', reason: '复议撤销' },
    });
    expect(foreign.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${d.id}/withdraw`,
      headers: t.as(legal),
      payload: { ground: 'revoked', reason: '经行政复议被撤销' },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/public/decisions/${d.id}` })).statusCode).toBe(404);
    const search = (await t.app.inject({ url: '/api/public/decisions?q=107' })).json();
    expect(search.items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    // 行政处罚法 art. 48(2): the reason is published; the decision's text and party are not.
    const notice = await t.app.inject({ url: `/public/decisions/${d.id}` });
    expect(notice.statusCode).toBe(410);
    expect(notice.body).toContain('决定被撤销：经行政复议被撤销');
    expect(notice.body).toContain('市监罚〔2026〕107号');
    expect(notice.body).not.toContain('王建国');
    const list = (await t.app.inject({ url: '/api/public/withdrawals' })).json();
    const listed = list.items.find((x: { id: string }) => x.id === d.id);
    expect(listed).toMatchObject({ decisionNumber: '市监罚〔2026〕107号', reason: '决定被撤销：经行政复议被撤销' });
    expect(JSON.stringify(listed)).not.toContain('王');
    expect((await t.app.inject({ url: '/public/withdrawals' })).body).toContain('市监罚〔2026〕107号');
    const full = await detail(d.id, officer);
    expect(full).toMatchObject({ state: 'withdrawn', withdrawalReason: '决定被撤销：经行政复议被撤销' });
    expect((await t.app.inject({ url: `/api/disclosures/${d.id}`, headers: t.as(otherLegal) })).statusCode).toBe(404);
  });

  it('takes a decision down automatically when its retention period ends', async () => {
    const d = await decidedPenalty('市监罚〔2026〕108号');
    await approve(d.id);
    const retention = (await timersOf(d.id)).find((x) => (x.kind as string) === 'disclosure_retention');
    expect(retention?.due_at.toISOString()).toBe('2028-11-24T16:00:00.000Z');
    clock.set('2028-11-25T01:00:00Z');
    expect(await fireTimer(t.app.runtime, retention?.id ?? '')).toEqual({ kind: 'fired' });
    expect(await detail(d.id)).toMatchObject({ state: 'expired', withdrawalReason: '公开期限届满，自动撤下' });
    expect((await t.app.inject({ url: `/api/public/decisions/${d.id}` })).statusCode).toBe(404);
  });
});

describe('the public portal', () => {
  it('serves agencies, officers (name, certificate, domain only) and the catalogue without login', async () => {
    const res = await t.app.inject({ url: `/api/public/agencies/${dept.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.officers[0]).sort()).toEqual(['certificateNumber', 'domain', 'name']);
    expect(body.catalogue.items.length).toBeGreaterThan(0);
    const page = await t.app.inject({ url: `/public/agencies/${dept.id}` });
    expect(page.body).toContain('执法证号');
    expect(page.body).toContain('重大执法决定法制审核目录清单');
    expect((await t.app.inject({ url: '/public' })).body).toContain('市场监督管理局公示测试');
  });

  it('offers an Atom feed and a CSV export of what is public', async () => {
    const feed = await t.app.inject({ url: '/public/feed.atom' });
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed.body).not.toContain('王建国');
    const csv = await t.app.inject({ url: '/api/public/decisions.csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('决定书文号');
    expect(csv.body).toContain('王某某');
    expect(csv.body).not.toContain('王建国');
  });
});

describe('rules and annual statistics', () => {
  it('lets the administrator change a category deadline (法律另有规定)', async () => {
    const admin = await t.newUser({ departmentId: dept.id, roles: ['admin'] });
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/disclosure-rules/inspection',
      headers: t.as(admin),
      payload: {
        deadlineWorkingDays: 15,
        reminderWorkingDays: 3,
        retentionYearsPerson: 2,
        retentionYearsOrganization: 5,
      },
    });
    expect(res.statusCode).toBe(200);
    const rules = (await t.app.inject({ url: '/api/disclosure-rules', headers: t.as(legal) })).json();
    expect(rules.find((r: { category: string }) => r.category === 'inspection').deadlineWorkingDays).toBe(15);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/disclosure-rules/inspection',
          headers: t.as(legal),
          payload: {
            deadlineWorkingDays: 1,
            reminderWorkingDays: 0,
            retentionYearsPerson: 1,
            retentionYearsOrganization: 1,
          },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('warns the legal unit in January until last year is submitted and published, then shows the figures', async () => {
    clock.set('2027-01-16T02:00:00Z');
    const before = await t.app.inject({ url: '/publicity', headers: { cookie: `fashen_session=${legal.token}` } });
    expect(before.body).toContain('2026 年度行政执法统计数据（已逾报送期限）');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/statistics/submit',
      headers: t.as(legal),
      payload: { year: 2026 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().figures.decisions.penalty).toBeGreaterThanOrEqual(5);
    const after = await t.app.inject({ url: '/publicity', headers: { cookie: `fashen_session=${legal.token}` } });
    expect(after.body).not.toContain('已逾报送期限');
    expect(after.body).toContain('2026 年度行政执法统计：已报送（逾期报送）');
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/statistics/publish',
      headers: t.as(legal),
      payload: { year: 2026 },
    });
    expect(published.statusCode).toBe(200);
    const done = await t.app.inject({ url: '/publicity', headers: { cookie: `fashen_session=${legal.token}` } });
    expect(done.body).not.toContain('2026 年度行政执法统计：');
    const report = (await t.app.inject({ url: '/api/public/statistics?year=2026' })).json();
    expect(report.total.decisions.penalty).toBe(res.json().figures.decisions.penalty);
    const page = await t.app.inject({ url: '/public/statistics?year=2026' });
    expect(page.body).toContain('<svg');
    const csv = await t.app.inject({ url: '/api/public/statistics.csv?year=2026' });
    expect(csv.body).toContain('全市合计');
  });
});

it('keeps the case decided with its disclosure in the record', async () => {
  const d = await decidedPenalty('市监罚〔2026〕109号');
  const c = await caseOf(t, officer, (await detail(d.id)).caseId);
  expect(c.timeline.map((e: { type: string }) => e.type)).toContain('disclosure.created');
});
