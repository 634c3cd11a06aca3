import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import { directDecision } from './helpers/review.js';

// 案卷评查: a reproducible sample per agency, evaluators who never evaluate their own agency, scores by the
// checklist's deductions, results and ranking, and each agency's rectification answer.
const clock = manualClock('2027-01-11T02:00:00Z'); // a Monday
let t: TestApp;
const agencies: { id: string; officer: TestUser; legal: TestUser; reviewer: TestUser; cases: string[] }[] = [];
let supervisor: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const bureau = await t.newDepartment({ name: '市司法局（评查测试）' });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  for (const [name, count] of [
    ['评查测试甲局', 4],
    ['评查测试乙局', 3],
  ] as const) {
    const d = await t.newDepartment({ name });
    const a = {
      id: d.id,
      officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
      legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
      reviewer: await t.newUser({ departmentId: d.id, roles: ['reviewer'] }),
      cases: [] as string[],
    };
    await deploy(t, a.legal, await workflowFile('legal-review.bpmn'));
    for (let i = 0; i < count; i++) {
      a.cases.push(
        await directDecision(t, a.officer, { number: `${name}罚〔2026〕${i + 1}号`, date: `2026-0${i + 3}-10` }),
      );
    }
    // Decided in another year: not in the population.
    await directDecision(t, a.officer, { number: `${name}罚〔2025〕9号`, date: '2025-12-30' });
    agencies.push(a);
  }
  const elsewhere = await t.newDepartment();
  outsider = await t.newUser({ departmentId: elsewhere.id, roles: ['legal_admin'] });
});
afterAll(() => t.close());

const evaluatorIds = () => [supervisor.id, agencies[0].reviewer.id, agencies[1].reviewer.id];

async function open(seed: string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/evaluation/rounds',
    headers: t.as(supervisor),
    payload: {
      title: '2026年度行政处罚案卷评查',
      year: 2026,
      perAgency: 2,
      evaluatorIds: evaluatorIds(),
      evaluatorsPerCase: 2,
      seed,
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; seed: string; drawn: number };
}

const view = async (id: string, user: TestUser = supervisor) =>
  t.app.inject({ url: `/api/evaluation/rounds/${id}`, headers: t.as(user) });

const score = (user: TestUser, roundId: string, caseId: string, deductions: { standard: string; note: string }[]) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/evaluation/rounds/${roundId}/cases/${caseId}/score`,
    headers: t.as(user),
    payload: { deductions, comment: '' },
  });

describe('an evaluation round', () => {
  it('draws the same sample from the same seed, only from the year, and assigns no one to their own agency', async () => {
    const first = await open('2026-评查-种子');
    const again = await open('2026-评查-种子');
    expect(first.drawn).toBe(4);
    const [a, b] = [(await view(first.id)).json(), (await view(again.id)).json()];
    const ids = (v: { cases: { caseId: string }[] }) => v.cases.map((c) => c.caseId);
    expect(ids(b)).toEqual(ids(a));
    expect(b.population.digest).toBe(a.population.digest);
    expect(
      a.population.departments.map((d: { eligible: number; drawn: number }) => [d.eligible, d.drawn]).sort(),
    ).toEqual([
      [3, 2],
      [4, 2],
    ]);
    for (const c of a.cases) {
      const agency = agencies.find((x) => x.id === c.departmentId)!;
      expect(agency.cases).toContain(c.caseId);
      expect(c.evaluators).toHaveLength(2);
      expect(c.evaluators.map((e: { id: string }) => e.id)).not.toContain(agency.reviewer.id);
    }
    // Another seed draws another sample from the same population (over a few seeds, at least once).
    const others = await Promise.all(['s1', 's2', 's3'].map((s) => open(s)));
    const samples = await Promise.all(
      others.map(async (o) =>
        ids((await view(o.id)).json())
          .sort()
          .join(),
      ),
    );
    expect(samples.some((s) => s !== ids(a).sort().join())).toBe(true);
  });

  it('scores by the checklist, refuses what is not in it, and records each reading and score in the case', async () => {
    const round = await open('scoring');
    const v = (await view(round.id)).json();
    const c = v.cases[0];
    const assigned = c.evaluators.map((e: { id: string }) => e.id);
    const all = [supervisor, agencies[0].reviewer, agencies[1].reviewer];
    const evaluator = all.find((u) => assigned.includes(u.id))!;
    const stranger = all.find((u) => !assigned.includes(u.id))!;
    expect((await score(stranger, round.id, c.caseId, [])).statusCode).toBe(403);
    const unknown = await score(evaluator, round.id, c.caseId, [{ standard: 'Z9', note: '无' }]);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.message).toContain('Z9');
    expect((await score(evaluator, round.id, c.caseId, [{ standard: 'C1', note: '' }])).json().error.message).toContain(
      '理由',
    );
    // C1 (20) and C2 (5) under 证据 (20 points): the item loses 20, not 25; A2 loses 5.
    const ok = await score(evaluator, round.id, c.caseId, [
      { standard: 'C1', note: '无现场检查笔录' },
      { standard: 'C2', note: '询问笔录无当事人签字' },
      { standard: 'A2', note: '调查时仅一名执法人员' },
    ]);
    expect(ok.json()).toEqual({ score: 75 });
    const record = await t.app.inject({
      url: `/api/evaluation/rounds/${round.id}/cases/${c.caseId}/record`,
      headers: t.as(evaluator),
    });
    expect(record.statusCode).toBe(200);
    const viewedIn = (items: { type: string }[]) => items.filter((r) => r.type === 'case.viewed_by_evaluator');
    expect(record.json().items.map((r: { type: string }) => r.type)).toContain('case.evaluated');
    expect(viewedIn(record.json().items)).toHaveLength(1); // this reading, recorded before the record is read
    const again = await t.app.inject({
      url: `/api/evaluation/rounds/${round.id}/cases/${c.caseId}/record`,
      headers: t.as(evaluator),
    });
    const viewed = viewedIn(again.json().items);
    expect(viewed).toHaveLength(2);
    expect(viewed[0]).toMatchObject({ actorId: evaluator.id, payload: { roundId: round.id } });
  });

  it('ranks the agencies once all have scored, and takes each agency its rectification', async () => {
    const round = await open('ranking', { rectifyWorkingDays: 5 });
    const v = (await view(round.id)).json();
    const users = [supervisor, agencies[0].reviewer, agencies[1].reviewer];
    // Agency 0's cases lose 10 points with each evaluator, agency 1's 3.
    let first = true;
    for (const c of v.cases) {
      const ds =
        c.departmentId === agencies[0].id
          ? [{ standard: 'E1', note: '罚款未执行裁量基准' }]
          : [{ standard: 'H1', note: '卷内目录缺失' }];
      for (const e of c.evaluators) {
        if (first) {
          first = false;
          const early = await t.app.inject({
            method: 'POST',
            url: `/api/evaluation/rounds/${round.id}/close`,
            headers: t.as(supervisor),
          });
          expect(early.statusCode).toBe(409);
        }
        const r = await score(users.find((u) => u.id === e.id)!, round.id, c.caseId, ds);
        expect(r.statusCode, r.body).toBe(200);
      }
    }
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation/rounds/${round.id}/close`,
      headers: t.as(supervisor),
    });
    expect(closed.statusCode, closed.body).toBe(200);
    // Five working days from Monday 2027-01-11: Monday 2027-01-18, 23:59:59 in Beijing.
    expect(closed.json().rectifyDueAt).toBe('2027-01-18T15:59:59.000Z');
    const results = (await view(round.id)).json();
    expect(
      results.agencies.map((a: { departmentId: string; score: number; rank: number; grade: string }) => [
        a.departmentId,
        a.score,
        a.rank,
        a.grade,
      ]),
    ).toEqual([
      [agencies[1].id, 97, 1, '优秀'],
      [agencies[0].id, 90, 2, '优秀'],
    ]);
    expect(results.agencies[1].commonDeductions[0]).toMatchObject({ standard: 'E1', times: 4 });
    // After closing, scores stand.
    expect((await score(supervisor, round.id, results.cases[0].caseId, [])).statusCode).toBe(409);

    // An evaluated agency reads its own cases and the ranking, not the others' findings.
    const own = await view(round.id, agencies[0].legal);
    expect(own.statusCode).toBe(200);
    expect(own.json().cases.every((c: { departmentId: string }) => c.departmentId === agencies[0].id)).toBe(true);
    expect(
      own.json().agencies.find((a: { departmentId: string }) => a.departmentId === agencies[1].id).commonDeductions,
    ).toEqual([]);
    expect((await view(round.id, outsider)).statusCode).toBe(403);

    const answer = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation/rounds/${round.id}/rectifications`,
      headers: t.as(agencies[0].legal),
      payload: { answer: '已组织全体执法人员学习裁量基准，对涉案2件案卷逐件复查。' },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation/rounds/${round.id}/rectifications`,
      headers: t.as(outsider),
      payload: { answer: '无' },
    });
    expect(refused.statusCode).toBe(403);
    clock.set(new Date('2027-01-19T01:00:00Z'));
    const later = (await view(round.id)).json();
    const state = (id: string) =>
      later.agencies.find((a: { departmentId: string }) => a.departmentId === id).rectification;
    expect(state(agencies[0].id)).toMatchObject({ overdue: false, answers: [{ answeredBy: expect.any(String) }] });
    expect(state(agencies[1].id)).toMatchObject({ overdue: true, answers: [] });
  });

  it('refuses evaluators who are not supervisors or reviewers, and a year with nothing decided', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/evaluation/rounds',
      headers: t.as(supervisor),
      payload: { title: 'x', year: 2026, perAgency: 1, evaluatorIds: [agencies[0].officer.id], evaluatorsPerCase: 1 },
    });
    expect(bad.statusCode).toBe(422);
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/evaluation/rounds',
      headers: t.as(supervisor),
      payload: { title: 'x', year: 2019, perAgency: 1, evaluatorIds: [supervisor.id], evaluatorsPerCase: 1 },
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.message).toContain('2019');
  });

  it('runs through the pages: the bureau opens a round, an evaluator scores by ticking deductions', async () => {
    const bureau = await pageSession(t, supervisor);
    const index = await bureau.get('/evaluation');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('发起评查');
    const created = await bureau.post('/evaluation', {
      title: '页面评查',
      year: '2026',
      perAgency: '1',
      evaluatorsPerCase: '1',
      rectifyWorkingDays: '10',
      seed: 'page',
      evaluatorIds: [supervisor.id],
    });
    expect(created.statusCode).toBe(303);
    const roundUrl = created.headers.location!.split('?')[0];
    const round = await bureau.get(roundUrl);
    expect(round.body).toContain('评分中（0/2 份评分已提交）');
    const caseUrl = /href="(\/evaluation\/[0-9a-f-]+\/cases\/[0-9a-f-]+)"/.exec(
      (await bureau.get('/evaluation')).body,
    )![1];
    const form = await bureau.get(caseUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('主要证据不足');
    expect(form.body).toContain('案卷评查人员调阅'); // this reading, on the record shown
    const refused = await bureau.post(caseUrl, { standard: 'B1', note_B1: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('须写明扣分理由');
    const scored = await bureau.post(caseUrl, {
      standard: ['B1', 'G1'],
      note_B1: '违法所得未查清',
      note_G1: '送达回证无日期',
      comment: '',
    });
    expect(scored.statusCode).toBe(303);
    expect(decodeURIComponent(scored.headers.location!)).toContain('评分已提交：82分');
    expect((await bureau.get(roundUrl)).body).toContain('1/2 份评分已提交');
    expect((await bureau.get('/evaluation/not-a-uuid')).statusCode).toBe(404);
  });
});
