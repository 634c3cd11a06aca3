import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';

// 评议考核 indicators over a generated year of 10,000 cases in three agencies, checked against counts made
// here from the generated facts, independently of the service's queries.
const NOW = new Date('2027-01-05T02:00:00Z');
const clock = manualClock(NOW);
const CASES = 10_000;
let t: TestApp;
let supervisor: TestUser;
const depts: { id: string; legal: TestUser }[] = [];

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Fact {
  id: string;
  dept: number;
  year: number;
  mandatory: boolean;
  opinion: boolean;
  /** review task: due in 2026?, completed on time / late / open overdue / open not yet due / paused */
  task: 'on_time' | 'late' | 'open_overdue' | 'open_future' | 'paused' | 'none';
  taskDue2026: boolean;
  disclosure: 'on_time' | 'late' | 'pending_overdue' | 'pending_future' | 'none';
  corrected: boolean;
  upheld: boolean;
  /** A complaint about the agency: answered on time / late, unanswered past its due date, not yet due. */
  complaint: 'on_time' | 'late' | 'open_overdue' | 'open_future' | 'none';
  complaintDue2026: boolean;
  survey: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'none';
  surveyIn2026: boolean;
}
const facts: Fact[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const bureau = await t.newDepartment({ name: '考核测试司法局' });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  for (let i = 0; i < 3; i++) {
    const d = await t.newDepartment({ name: `考核测试第${i + 1}局` });
    const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
    depts.push({ id: d.id, legal });
  }
  const deployed = await deploy(t, depts[0].legal, await workflowFile('legal-review.bpmn'));
  const definitionId =
    (deployed as { id?: string }).id ??
    (await t.db.selectFrom('workflow_definitions').select('id').executeTakeFirstOrThrow()).id;
  const rand = prng(2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  for (let n = 0; n < CASES; n++) {
    const year = rand() < 0.85 ? 2026 : 2025;
    facts.push({
      id: crypto.randomUUID(),
      dept: Math.floor(rand() * 3),
      year,
      mandatory: rand() < 0.6,
      opinion: rand() < 0.9,
      task: pick(['on_time', 'on_time', 'on_time', 'late', 'open_overdue', 'open_future', 'paused', 'none'] as const),
      taskDue2026: rand() < 0.9,
      disclosure: pick(['on_time', 'on_time', 'late', 'pending_overdue', 'pending_future', 'none'] as const),
      corrected: rand() < 0.05,
      upheld: rand() < 0.05,
      complaint: pick(['on_time', 'on_time', 'late', 'open_overdue', 'open_future', 'none', 'none', 'none'] as const),
      complaintDue2026: rand() < 0.9,
      survey: pick(['satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'none'] as const),
      surveyIn2026: rand() < 0.9,
    });
  }
  const officer = await t.newUser({ departmentId: depts[0].id, roles: ['officer'] });
  const day = (f: Fact, n: number) =>
    `${f.year}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
  const chunks = <T>(xs: T[], n = 500) =>
    Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
  for (const part of chunks(facts.map((f, n) => ({ f, n })))) {
    await t.db
      .insertInto('process_instances')
      .values(
        part.map(({ f }) => ({
          id: f.id,
          definition_id: definitionId,
          department_id: depts[f.dept].id,
          status: 'completed',
        })) as never,
      )
      .execute();
    await t.db
      .insertInto('cases')
      .values(
        part.map(({ f, n }) => ({
          id: f.id,
          department_id: depts[f.dept].id,
          case_number: `KH-${String(n).padStart(5, '0')}`,
          title: `考核测试案${n}`,
          category: 'penalty',
          facts: JSON.stringify({ amount: 1000, measure: 'fine' }),
          packet: JSON.stringify({}),
          review_mandatory: f.mandatory,
          review_requested: f.mandatory,
          catalogue_reason: '测试',
          status: 'decided',
          instance_id: f.id,
          decision: JSON.stringify({ number: `KH罚${n}号`, date: day(f, n), content: '罚款' }),
          submitted_by: officer.id,
        })) as never,
      )
      .execute();
    const opinions = part.filter(({ f }) => f.opinion);
    if (opinions.length)
      await t.db
        .insertInto('review_opinions')
        .values(
          opinions.map(({ f }) => ({
            case_id: f.id,
            round: 1,
            kind: 'review',
            reviewer_id: officer.id,
            findings: JSON.stringify([]),
            conclusion: 'approve',
            reasons: '同意',
          })) as never,
        )
        .execute();
    const tasks = part.filter(({ f }) => f.task !== 'none');
    if (tasks.length)
      await t.db
        .insertInto('tasks')
        .values(
          tasks.map(({ f }) => {
            const due =
              f.task === 'open_future'
                ? new Date('2027-03-01T15:59:59Z')
                : new Date(f.taskDue2026 ? '2026-06-10T15:59:59Z' : '2025-06-10T15:59:59Z');
            const open = f.task.startsWith('open') || f.task === 'paused';
            return {
              instance_id: f.id,
              department_id: depts[f.dept].id,
              element_id: 'Task_review',
              execution_id: `x-${f.id}`,
              name: '法制审核',
              role: 'reviewer',
              status: open ? 'open' : 'completed',
              due_at: due,
              ended_at: open ? null : new Date(due.getTime() + (f.task === 'late' ? 86_400_000 : -86_400_000)),
              paused_at: f.task === 'paused' ? new Date('2026-06-01T00:00:00Z') : null,
            };
          }) as never,
        )
        .execute();
    const disclosures = part.filter(({ f }) => f.disclosure !== 'none');
    if (disclosures.length)
      await t.db
        .insertInto('disclosures')
        .values(
          disclosures.map(({ f, n }) => {
            const due =
              f.disclosure === 'pending_future'
                ? new Date('2027-01-20T15:59:59Z')
                : new Date(`${f.year}-09-10T15:59:59Z`);
            const published = f.disclosure === 'on_time' || f.disclosure === 'late';
            return {
              department_id: depts[f.dept].id,
              case_id: f.id,
              category: 'penalty',
              decision_number: `KH罚${n}号`,
              decision_date: day(f, n),
              party_type: 'organization',
              original: JSON.stringify({}),
              redacted: JSON.stringify({ title: '', party: '' }),
              status: published ? 'published' : 'pending',
              due_at: due,
              published_at: published
                ? new Date(due.getTime() + (f.disclosure === 'late' ? 3_600_000 : -3_600_000))
                : null,
            };
          }) as never,
        )
        .execute();
    const challenged = part.filter(({ f }) => f.corrected || f.upheld);
    if (challenged.length)
      await t.db
        .insertInto('decision_challenges')
        .values(
          challenged.flatMap(({ f }) =>
            [
              ...(f.upheld ? [{ outcome: 'upheld' }] : []),
              ...(f.corrected
                ? [{ outcome: pick(['changed', 'revoked', 'confirmed_unlawful', 'confirmed_void']) }]
                : []),
            ].map((o) => ({
              case_id: f.id,
              kind: 'reconsideration',
              organ: '市人民政府',
              outcome: o.outcome,
              decided_on: '2026-12-01',
              document_number: '复1号',
              recorded_by: depts[0].legal.id,
            })),
          ) as never,
        )
        .execute();
    const complaints = part.filter(({ f }) => f.complaint !== 'none');
    if (complaints.length)
      await t.db
        .insertInto('complaints')
        .values(
          complaints.map(({ f, n }) => {
            const due =
              f.complaint === 'open_future'
                ? new Date('2027-01-20T15:59:59Z')
                : new Date(f.complaintDue2026 ? '2026-07-10T15:59:59Z' : '2025-07-10T15:59:59Z');
            const answered = f.complaint === 'on_time' || f.complaint === 'late';
            return {
              number: `TS20260101-${String(n).padStart(6, '0')}`,
              secret_hash: 'x',
              department_id: depts[f.dept].id,
              about: 'act',
              content: '考核测试投诉举报内容',
              complainant_name: '投诉人',
              phone: '13800000000',
              phone_hash: 'x',
              working_days: 15,
              due_at: due,
              status: answered ? 'answered' : 'received',
              answer: answered ? '已处理' : null,
              answered_by: answered ? depts[f.dept].legal.id : null,
              answered_at: answered
                ? new Date(due.getTime() + (f.complaint === 'late' ? 86_400_000 : -86_400_000))
                : null,
              created_at: new Date(due.getTime() - 20 * 86_400_000),
            };
          }) as never,
        )
        .execute();
    const surveys = part.filter(({ f }) => f.survey !== 'none');
    if (surveys.length)
      await t.db
        .insertInto('satisfaction_responses')
        .values(
          surveys.map(({ f }) => ({
            case_id: f.id,
            department_id: depts[f.dept].id,
            rating: f.survey,
            answered_at: new Date(f.surveyIn2026 ? '2026-11-30T20:00:00Z' : '2026-12-31T16:30:00Z'),
          })) as never,
        )
        .execute();
  }
  await sql`ANALYZE`.execute(t.db);
}, 240_000);
afterAll(() => t.close());

/** The expected figures, counted from the generated facts. */
function expected(dept: number) {
  const mine = facts.filter((f) => f.dept === dept);
  const in2026 = mine.filter((f) => f.year === 2026);
  const coverage = in2026.filter((f) => f.mandatory);
  const tasks = mine.filter((f) => f.taskDue2026 && ['on_time', 'late', 'open_overdue'].includes(f.task));
  const discl = mine.filter((f) => f.year === 2026 && ['on_time', 'late', 'pending_overdue'].includes(f.disclosure));
  // A complaint counts when its due date falls in 2026 and it was answered or is past due. A survey answered at
  // 2026-12-31 16:30Z was answered on 1 January 2027 in Beijing, so it is not one of 2026's.
  const complaints = mine.filter(
    (f) => f.complaintDue2026 && ['on_time', 'late', 'open_overdue'].includes(f.complaint),
  );
  const surveys = mine.filter((f) => f.survey !== 'none' && f.surveyIn2026);
  return {
    review_coverage: { total: coverage.length, met: coverage.filter((f) => f.opinion).length },
    review_on_time: { total: tasks.length, met: tasks.filter((f) => f.task === 'on_time').length },
    disclosure_on_time: { total: discl.length, met: discl.filter((f) => f.disclosure === 'on_time').length },
    decisions_corrected: { total: in2026.length, met: in2026.filter((f) => f.corrected).length },
    complaints_on_time: {
      total: complaints.length,
      met: complaints.filter((f) => f.complaint === 'on_time').length,
    },
    satisfaction: { total: surveys.length, met: surveys.filter((f) => f.survey !== 'dissatisfied').length },
  };
}

describe('the 评议考核 indicators', () => {
  it('match counts made independently over a generated year of 10,000 cases', async () => {
    const res = await t.app.inject({ url: '/api/indicators?year=2026', headers: t.as(supervisor) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    for (const [i, d] of depts.entries()) {
      const row = body.agencies.find((a: { departmentId: string }) => a.departmentId === d.id);
      const want = expected(i);
      for (const [key, f] of Object.entries(want)) {
        expect(row.figures[key], `${key} of agency ${i}`).toMatchObject(f);
        expect(row.figures[key].rate).toBe(f.total ? Math.round((f.met / f.total) * 1000) / 10 : null);
      }
    }
    const all = [0, 1, 2].map(expected);
    expect(body.overall.review_coverage.total).toBe(all.reduce((s, x) => s + x.review_coverage.total, 0));
  });

  it('trace each figure to its cases, and keep an agency to its own', async () => {
    const corrected = await t.app.inject({
      url: `/api/indicators/cases?year=2026&indicator=decisions_corrected&against=true&departmentId=${depts[1].id}`,
      headers: t.as(supervisor),
    });
    const ids = corrected
      .json()
      .items.map((i: { caseId: string }) => i.caseId)
      .sort();
    expect(ids).toEqual(
      facts
        .filter((f) => f.dept === 1 && f.year === 2026 && f.corrected)
        .map((f) => f.id)
        .sort(),
    );
    // A complaint figure traces to complaints, which the workbench opens by their own address.
    const late = await t.app.inject({
      url: `/api/indicators/cases?year=2026&indicator=complaints_on_time&against=true&departmentId=${depts[1].id}`,
      headers: t.as(supervisor),
    });
    const lateItems = late.json().items as { subject: string; href: string; caseNumber: string }[];
    expect(lateItems.length).toBe(
      facts.filter((f) => f.dept === 1 && f.complaintDue2026 && ['late', 'open_overdue'].includes(f.complaint)).length,
    );
    expect(lateItems[0]).toMatchObject({ subject: 'complaint', caseNumber: expect.stringMatching(/^TS2026/) });
    expect(lateItems[0].href).toMatch(/^\/complaints\/[0-9a-f-]{36}$/);
    const own = await t.app.inject({ url: '/api/indicators?year=2026', headers: t.as(depts[2].legal) });
    expect(own.json().agencies.map((a: { departmentId: string }) => a.departmentId)).toEqual([depts[2].id]);
    const other = await t.app.inject({
      url: `/api/indicators?year=2026&departmentId=${depts[0].id}`,
      headers: t.as(depts[2].legal),
    });
    expect(other.statusCode).toBe(403);
  });

  it('export as CSV and Excel, and show on a page with charts', async () => {
    const csv = await t.app.inject({ url: '/api/indicators.csv?year=2026', headers: t.as(supervisor) });
    expect(csv.headers['content-type']).toContain('text/csv');
    const want = expected(0).review_coverage;
    expect(csv.body).toContain(
      `考核测试第1局,${Math.round((want.met / want.total) * 1000) / 10},${want.met},${want.total}`,
    );
    const xlsx = await t.app.inject({ url: '/api/indicators.xlsx?year=2026', headers: t.as(supervisor) });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const page = await (await pageSession(t, supervisor)).get('/indicators?year=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('法制审核覆盖率');
    expect(page.body).toContain('<svg');
  });
});
