import readExcelFile from 'read-excel-file/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as identityQueries from '../server/identity/queries.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { docxEntries } from './helpers/docx-zip.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { completeStep, FACTS, packet, reviewForm } from './helpers/review.js';

const START = '2026-11-25T02:00:00Z';
const clock = manualClock(START);
let t: TestApp;
let bpmn: string;
let supervisor: TestUser;

interface Agency {
  id: string;
  name: string;
  officer: TestUser;
  reviewer: TestUser;
  chief: TestUser;
  legal: TestUser;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  bpmn = await workflowFile('legal-review.bpmn');
  const bureau = await identityQueries.insertDepartment(t.db, {
    code: 'SFJ-STAT',
    name: '市司法局',
    kind: 'justice_bureau',
    enforcement_staff_count: 0,
  });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

/** An agency with its own staff and the legal review process deployed. */
async function newAgency(name: string): Promise<Agency> {
  const d = await t.newDepartment({ name });
  const [officer, reviewer, chief, legal] = await Promise.all(
    (['officer', 'reviewer', 'chief', 'legal_admin'] as const).map((r) =>
      t.newUser({ departmentId: d.id, roles: [r] }),
    ),
  );
  await deploy(t, legal, bpmn);
  return { id: d.id, name, officer, reviewer, chief, legal };
}

/** A case submitted and accepted: its review task is open. */
async function caseInReview(a: Agency) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(a.officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  const { caseId } = res.json() as { caseId: string };
  await completeStep(t, a.legal, caseId, 'Task_accept', { complete: true });
  return caseId;
}

async function reviewed(a: Agency) {
  const caseId = await caseInReview(a);
  await completeStep(t, a.reviewer, caseId, 'Task_review', reviewForm('同意'));
  return caseId;
}

/** Places a review in time: when its packet was submitted (送审) and when the opinion was signed. */
async function reviewTimes(caseId: string, submittedAt: string, signedAt: string) {
  await t.db
    .updateTable('case_rounds')
    .set({ submitted_at: new Date(submittedAt) })
    .where('case_id', '=', caseId)
    .execute();
  await t.db
    .updateTable('review_opinions')
    .set({ created_at: new Date(signedAt) })
    .where('case_id', '=', caseId)
    .execute();
}

/** Sets the deadline of a case's review task, and when it was completed. */
async function reviewTaskTimes(caseId: string, dueAt: string, endedAt?: string) {
  const c = await t.db.selectFrom('cases').select('instance_id').where('id', '=', caseId).executeTakeFirstOrThrow();
  await t.db
    .updateTable('tasks')
    .set({ due_at: new Date(dueAt), ...(endedAt && { ended_at: new Date(endedAt) }) })
    .where('instance_id', '=', c.instance_id as string)
    .where('element_id', '=', 'Task_review')
    .execute();
}

const own = async (a: Agency, year: number) =>
  (await t.app.inject({ url: `/api/statistics/own?year=${year}`, headers: t.as(a.legal) })).json();

function post(user: TestUser, step: 'submit' | 'publish', year: number) {
  return t.app.inject({ method: 'POST', url: `/api/statistics/${step}`, headers: t.as(user), payload: { year } });
}

/** Every sheet of a workbook, read back by an independent reader: name and rows of cell values. */
function xlsx(body: Buffer) {
  return readExcelFile(body);
}

describe('review figures', () => {
  it('counts review time in working days, so a review over the National Day holiday counts working days only', async () => {
    const a = await newAgency('工作日统计局');
    // Tuesday 29 September to Friday 9 October 2026: 30 Sep, 8 Oct and 9 Oct are worked (1–7 Oct 国庆).
    await reviewTimes(await reviewed(a), '2026-09-29T02:00:00Z', '2026-10-09T08:00:00Z');
    // Monday 2 to Wednesday 4 November: 2 working days.
    await reviewTimes(await reviewed(a), '2026-11-02T02:00:00Z', '2026-11-04T08:00:00Z');
    // Signed in 2025: another year's review.
    await reviewTimes(await reviewed(a), '2025-12-22T02:00:00Z', '2025-12-30T08:00:00Z');

    const f = await own(a, 2026);
    expect(f.reviews).toMatchObject({ total: 2, approved: 2 });
    expect(f.reviewsTimed).toBe(2);
    expect(f.averageReviewWorkingDays).toBe(2.5);
    expect(f.version).toBe(2);
    expect((await own(a, 2025)).averageReviewWorkingDays).toBe(6);
  });

  it('counts overdue reviews: completed after the deadline, or still open past it, by the year of the deadline', async () => {
    const a = await newAgency('审核超期统计局');
    await reviewTaskTimes(await reviewed(a), '2026-10-12T15:59:59Z', '2026-10-13T03:00:00Z'); // completed a day late
    await reviewTaskTimes(await reviewed(a), '2026-10-20T15:59:59Z', '2026-10-19T03:00:00Z'); // on time
    await reviewTaskTimes(await caseInReview(a), '2026-11-20T15:59:59Z'); // open, deadline passed
    await reviewTaskTimes(await caseInReview(a), '2026-12-01T15:59:59Z'); // open, not yet due
    await reviewTaskTimes(await caseInReview(a), '2025-12-10T15:59:59Z'); // open, a 2025 deadline

    expect((await own(a, 2026)).reviews.overdue).toBe(2);
    expect((await own(a, 2025)).reviews.overdue).toBe(1);
    clock.set('2027-01-05T02:00:00Z');
    expect((await own(a, 2026)).reviews.overdue).toBe(3);
  });
});

describe('submission (报送) and publication (公开)', () => {
  it('submits without publishing: the public sees the report only once it is published', async () => {
    const a = await newAgency('分步公开统计局');
    await reviewTimes(await reviewed(a), '2026-06-01T02:00:00Z', '2026-06-02T02:00:00Z');
    clock.set('2027-01-10T02:00:00Z');
    const first = await post(a.legal, 'submit', 2026);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ state: 'submitted', revision: 1, submittedLate: false, publishedAt: null });
    expect(first.json().figures.reviews.total).toBe(1);

    const pub = async () => (await t.app.inject({ url: '/api/public/statistics?year=2026' })).json();
    expect((await pub()).agencies.map((x: { name: string }) => x.name)).not.toContain(a.name);
    expect((await t.app.inject({ url: '/public/statistics?year=2026' })).body).not.toContain(a.name);
    expect((await t.app.inject({ url: '/api/public/statistics.csv?year=2026' })).body).not.toContain(a.name);

    clock.set('2027-01-12T02:00:00Z');
    await reviewTimes(await reviewed(a), '2026-06-03T02:00:00Z', '2026-06-04T02:00:00Z');
    const again = await post(a.legal, 'submit', 2026);
    expect(again.json()).toMatchObject({ state: 'submitted', revision: 2 });
    expect(again.json().history.map((h: { revision: number }) => h.revision)).toEqual([2, 1]);
    expect(again.json().firstSubmittedAt).toBe('2027-01-10T02:00:00.000Z');

    const published = await post(a.legal, 'publish', 2026);
    expect(published.json()).toMatchObject({ state: 'published', publishedLate: false });
    const shown = (await pub()).agencies.find((x: { name: string }) => x.name === a.name);
    expect(shown.figures.reviews.total).toBe(again.json().figures.reviews.total);
    expect((await t.app.inject({ url: '/public/statistics?year=2026' })).body).toContain(a.name);
  });

  it('refuses re-submission after publication, publication before submission, and an unfinished year', async () => {
    const a = await newAgency('拒绝重复统计局');
    clock.set('2027-01-10T02:00:00Z');
    expect((await post(a.legal, 'publish', 2026)).json().error.code).toBe('ANNUAL_REPORT_NOT_SUBMITTED');
    await post(a.legal, 'submit', 2026);
    await post(a.legal, 'publish', 2026);
    const resubmit = await post(a.legal, 'submit', 2026);
    expect(resubmit.statusCode).toBe(409);
    expect(resubmit.json().error).toMatchObject({ code: 'ANNUAL_REPORT_PUBLISHED', message: expect.any(String) });
    expect((await post(a.legal, 'publish', 2026)).json().error.code).toBe('ANNUAL_REPORT_PUBLISHED');
    expect((await post(a.legal, 'submit', 2027)).json().error.code).toBe('CONFLICT');
  });

  it('records late submission and late publication by the Asia/Shanghai day', async () => {
    const onTime = await newAgency('按期报送统计局');
    const late = await newAgency('逾期报送统计局');
    clock.set('2027-01-15T15:59:00Z'); // 23:59 on 15 January in Shanghai
    expect((await post(onTime.legal, 'submit', 2026)).json().submittedLate).toBe(false);
    clock.set('2027-01-15T16:00:30Z'); // 00:00:30 on 16 January
    expect((await post(late.legal, 'submit', 2026)).json().submittedLate).toBe(true);
    clock.set('2027-01-31T15:00:00Z'); // 23:00 on 31 January
    expect((await post(late.legal, 'publish', 2026)).json().publishedLate).toBe(false);
    clock.set('2027-02-01T00:00:00Z'); // 08:00 on 1 February
    expect((await post(onTime.legal, 'publish', 2026)).json().publishedLate).toBe(true);
  });

  it('reminds the legal unit of both deadlines, with a link to the statistics page', async () => {
    const a = await newAgency('提醒统计局');
    const page = async () =>
      (await t.app.inject({ url: '/publicity', cookies: { fashen_session: a.legal.token } })).body;
    clock.set('2027-01-05T02:00:00Z');
    const early = await page();
    expect(early).toContain('2026 年度行政执法统计：未报送');
    expect(early).toContain('2027年1月15日前向司法行政部门报送、2027年1月31日前向社会公开');
    expect(early).toContain('href="/publicity/statistics?year=2026"');
    expect(early).not.toContain('已逾');
    clock.set('2027-02-02T02:00:00Z');
    const overdue = await page();
    expect(overdue).toContain('（已逾报送期限）（已逾公开期限）');
    await post(a.legal, 'submit', 2026);
    expect(await page()).toContain('2026 年度行政执法统计：已报送（逾期报送）');
    await post(a.legal, 'publish', 2026);
    expect(await page()).not.toContain('2026 年度行政执法统计');
  });
});

describe('the justice bureau (司法行政部门)', () => {
  let onTime: Agency;
  let late: Agency;
  let missing: Agency;

  beforeAll(async () => {
    // The 2025 reports, due by 15 and 31 January 2026.
    [onTime, late, missing] = await Promise.all([
      newAgency('汇总按期局'),
      newAgency('汇总逾期局'),
      newAgency('汇总未报局'),
    ]);
    // 3 June 2025 (Tue) to 6 June (Fri): 3 working days.
    await reviewTimes(await reviewed(onTime), '2025-06-03T02:00:00Z', '2025-06-06T08:00:00Z');
    // 1 and 0 working days.
    await reviewTimes(await reviewed(late), '2025-03-03T02:00:00Z', '2025-03-04T08:00:00Z');
    await reviewTimes(await reviewed(late), '2025-03-05T01:00:00Z', '2025-03-05T08:00:00Z');
    await reviewTimes(await reviewed(missing), '2025-03-05T01:00:00Z', '2025-03-05T08:00:00Z');
    clock.set('2026-01-10T02:00:00Z');
    await post(onTime.legal, 'submit', 2025);
    await post(onTime.legal, 'publish', 2025);
    clock.set('2026-01-20T02:00:00Z');
    await post(late.legal, 'submit', 2025);
    clock.set(START);
  });

  const view = async (year: number) =>
    (await t.app.inject({ url: `/api/supervisor/statistics?year=${year}`, headers: t.as(supervisor) })).json();

  it("sees each agency's submission as on time, late or missing, and whether it is published", async () => {
    const v = await view(2025);
    const of = (a: Agency) => v.agencies.find((x: { name: string }) => x.name === a.name);
    expect(of(onTime)).toMatchObject({ submission: 'on_time', state: 'published', publishedLate: false });
    expect(of(late)).toMatchObject({ submission: 'late', state: 'submitted', publishedAt: null, publishOverdue: true });
    expect(of(missing)).toMatchObject({ submission: 'missing', state: 'missing', submitOverdue: true });
    expect(v.counts).toMatchObject({ submitted: 2, onTime: 1, late: 1, published: 1 });
    expect(v.counts.missing).toBe(v.counts.agencies - 2);
    expect(v.agencies.map((x: { name: string }) => x.name)).not.toContain('市司法局');
  });

  it('sums every submitted report into the city-wide figures, published or not', async () => {
    const { aggregate } = await view(2025);
    expect(aggregate.agencies.map((x: { name: string }) => x.name).sort()).toEqual([late.name, onTime.name].sort());
    expect(aggregate.total.reviews).toMatchObject({ total: 3, approved: 3, overdue: 0 });
    // (3 × 1 + 0.5 × 2) / 3 working days, weighted by the opinions behind each mean.
    expect(aggregate.total.averageReviewWorkingDays).toBe(1.3);
    const publicReport = (await t.app.inject({ url: '/api/public/statistics?year=2025' })).json();
    expect(publicReport.agencies.map((x: { name: string }) => x.name)).toEqual([onTime.name]);
    expect(publicReport.total.reviews.total).toBe(1);
  });

  it('exports the city-wide figures as CSV, and as XLSX with a sheet for the submission status', async () => {
    const csv = await t.app.inject({ url: '/api/supervisor/statistics.csv?year=2025', headers: t.as(supervisor) });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const header = lines[0];
    const total = lines.find((l) => l[0] === '全市合计') as string[];
    expect(total[header.indexOf('法制审核意见（件）')]).toBe('3');
    expect(total[header.indexOf('平均审核时长（工作日）')]).toBe('1.3');

    const res = await t.app.inject({ url: '/api/supervisor/statistics.xlsx?year=2025', headers: t.as(supervisor) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await xlsx(res.rawPayload);
    expect(wb.map((w) => w.sheet)).toEqual(['2025年度全市汇总', '2025年度报送情况']);
    const [figures, status] = wb;
    // The header row is frozen (a pane split below row 1).
    const sheetXml = (await docxEntries(res.rawPayload)).get('xl/worksheets/sheet1.xml')?.toString() ?? '';
    expect(sheetXml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    const rows = figures.data;
    expect(rows[0][0]).toBe('执法机关');
    const sum = rows.find((r) => r[0] === '全市合计') as unknown[];
    expect(sum[rows[0].indexOf('法制审核意见（件）')]).toBe(3);
    expect(sum[rows[0].indexOf('平均审核时长（工作日）')]).toBe(1.3);
    const statusRows = status.data;
    expect(statusRows.find((r) => r[0] === late.name)?.[2]).toBe('逾期报送');
    expect(statusRows.find((r) => r[0] === missing.name)?.[2]).toBe('未报送（已逾期）');
    expect(statusRows.find((r) => r[0] === onTime.name)?.[1]).toBe('已公开');
  });

  it('offers the public an XLSX of published reports only', async () => {
    const res = await t.app.inject({ url: '/api/public/statistics.xlsx?year=2025' });
    expect(res.headers['cache-control']).toContain('public');
    const rows = (await xlsx(res.rawPayload))[0].data;
    expect(rows.map((r) => r[0])).toEqual(['执法机关', onTime.name, '全市合计']);
    expect(rows[2][rows[0].indexOf('平均审核时长（工作日）')]).toBe(3);
  });

  it('shows the status, the charts and the export links on the supervision page', async () => {
    const page = await t.app.inject({
      url: '/supervisor/statistics?year=2025',
      cookies: { fashen_session: supervisor.token },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain(late.name);
    expect(page.body).toContain('逾期报送');
    expect(page.body).toContain('/api/supervisor/statistics.xlsx?year=2025');
    const home = await t.app.inject({ url: '/supervisor', cookies: { fashen_session: supervisor.token } });
    expect(home.body).toContain('href="/supervisor/statistics"');
  });
});

describe('the legal unit page and access', () => {
  it('shows live figures with charts and submits and publishes through its forms', async () => {
    const a = await newAgency('页面统计局');
    clock.set('2027-01-08T02:00:00Z');
    const open = async () => {
      const page = await t.app.inject({
        url: '/publicity/statistics?year=2026',
        cookies: { fashen_session: a.legal.token },
      });
      const csrf = page.cookies.find((c) => c.name === 'fashen_csrf')?.value ?? '';
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      return { page, cookies: { fashen_session: a.legal.token, fashen_csrf: csrf }, token };
    };
    const form = async (step: string) => {
      const { cookies, token } = await open();
      return t.app.inject({
        method: 'POST',
        url: `/publicity/statistics/${step}`,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, year: '2026' }).toString(),
      });
    };
    const before = (await open()).page.body;
    expect(before).toContain('<svg');
    expect(before).toContain('未报送');
    expect(before).toContain('平均审核时长：法制审核意见自该轮送审材料报送之日');
    expect(before).toContain('action="/publicity/statistics/submit"');
    const chiefPage = await t.app.inject({
      url: '/publicity/statistics?year=2026',
      cookies: { fashen_session: a.chief.token },
    });
    expect(chiefPage.statusCode).toBe(200);
    expect(chiefPage.body).toContain('未报送');
    expect(chiefPage.body).not.toContain('action="/publicity/statistics/submit"');

    const submitted = await form('submit');
    expect(submitted.statusCode).toBe(303);
    expect(submitted.headers.location).toBe('/publicity/statistics?year=2026&done=submit');
    expect((await open()).page.body).toContain('action="/publicity/statistics/publish"');
    expect((await form('publish')).headers.location).toBe('/publicity/statistics?year=2026&done=publish');
    const after = (await open()).page.body;
    expect(after).toContain('已公开');
    expect(after).not.toContain('action="/publicity/statistics/submit"');
  });

  it('refuses the statistics to roles that may not see them, in the one error shape', async () => {
    const a = await newAgency('权限统计局');
    const officerOwn = await t.app.inject({ url: '/api/statistics/own?year=2026', headers: t.as(a.officer) });
    expect(officerOwn.statusCode).toBe(403);
    expect(officerOwn.json().error.code).toBe('FORBIDDEN');
    const chiefSubmit = await post(a.chief, 'submit', 2026);
    expect(chiefSubmit.statusCode).toBe(403);
    expect(chiefSubmit.json().error.code).toBe('FORBIDDEN');
    const legalView = await t.app.inject({ url: '/api/supervisor/statistics?year=2026', headers: t.as(a.legal) });
    expect(legalView.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    const anonymous = await t.app.inject({ url: '/api/supervisor/statistics.xlsx?year=2026' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const badYear = await t.app.inject({ url: '/api/public/statistics?year=1999' });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().error.code).toBe('VALIDATION_FAILED');
    const page = await t.app.inject({ url: '/supervisor/statistics', cookies: { fashen_session: a.legal.token } });
    expect(page.statusCode).toBe(403);
  });

  it('keeps a report submitted before working days readable, outside the working-day mean', async () => {
    const a = await newAgency('旧口径统计局');
    const v1 = {
      decisions: { licensing: 1, penalty: 2, coercion: 0, levy: 0, inspection: 0 },
      reviews: { total: 4, approved: 3, returned: 1, disapproved: 0, transferred: 0 },
      averageReviewDays: 4.2,
      disclosures: { total: 3, published: 3, onTime: 2, overdue: 1, withdrawn: 0 },
    };
    const at = new Date('2025-01-20T02:00:00Z');
    await t.db
      .insertInto('annual_reports')
      .values({
        department_id: a.id,
        year: 2024,
        figures: JSON.stringify(v1),
        submitted_at: at,
        submitted_by: a.legal.id,
        first_submitted_at: at,
        submitted_late: true,
        published_at: at,
        published_by: a.legal.id,
        published_late: false,
      })
      .execute();
    const r = (await t.app.inject({ url: '/api/public/statistics?year=2024' })).json();
    const f = r.agencies.find((x: { name: string }) => x.name === a.name).figures;
    expect(f).toMatchObject({ version: 1, averageReviewWorkingDays: null, legacyAverageReviewCalendarDays: 4.2 });
    expect(f.reviews.overdue).toBeNull();
    expect(r.legacyReports).toBe(1);
    expect(r.total.reviews.total).toBeGreaterThanOrEqual(4);
    expect((await t.app.inject({ url: '/public/statistics?year=2024' })).body).toContain('按旧口径公开');
  });
});
