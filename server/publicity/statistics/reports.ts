import { AppError } from '../../http/errors.js';
import type { Actor } from '../../identity/service.js';
import { dayNumber, endOfShanghaiDay, instantToShanghaiDate } from '../../workdays/days.js';
import type { PublicityContext } from '../disclosures/timers.js';
import { type AnnualFigures, computeFigures, readFigures, sumFigures } from './figures.js';

/**
 * The yearly report's two steps (DOMAIN §2): the legal unit submits last year's figures to the justice bureau
 * (报送) by 15 January and publishes them (公开) by 31 January. Submitting snapshots the figures; it may be
 * repeated, each time recorded, until the report is published, which makes the latest snapshot public and
 * final. Lateness is recorded when it happens: a report is submitted late when its first submission came
 * after 15 January, published late when published after 31 January (the last second of the day, Asia/Shanghai).
 */
export type ReportState = 'missing' | 'submitted' | 'published';

export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  missing: '未报送',
  submitted: '已报送',
  published: '已公开',
};

/** The two deadlines for the report of `year`, in the following January. */
export function reportDeadlines(year: number) {
  return {
    submitBy: endOfShanghaiDay(dayNumber(`${year + 1}-01-15`)),
    publishBy: endOfShanghaiDay(dayNumber(`${year + 1}-01-31`)),
  };
}

export const shanghaiYear = (now: Date) => Number(instantToShanghaiDate(now).slice(0, 4));

export interface ReportStatus {
  departmentId: string;
  year: number;
  state: ReportState;
  submitBy: Date;
  publishBy: Date;
  submittedAt: Date | null;
  firstSubmittedAt: Date | null;
  submittedBy: string | null;
  revision: number;
  /** Recorded on the first submission: it came after 15 January. */
  submittedLate: boolean;
  publishedAt: Date | null;
  publishedBy: string | null;
  /** Recorded on publication: it came after 31 January; null while unpublished. */
  publishedLate: boolean | null;
  /** Not yet submitted, and 15 January has passed. */
  submitOverdue: boolean;
  /** Not yet published, and 31 January has passed. */
  publishOverdue: boolean;
  figures: AnnualFigures | null;
}

function reportsQuery(ctx: PublicityContext) {
  return ctx.db
    .selectFrom('annual_reports as r')
    .leftJoin('users as s', 's.id', 'r.submitted_by')
    .leftJoin('users as p', 'p.id', 'r.published_by')
    .selectAll('r')
    .select(['s.display_name as submitter', 'p.display_name as publisher']);
}
type ReportRow = Awaited<ReturnType<ReturnType<typeof reportsQuery>['executeTakeFirstOrThrow']>>;

function statusOf(departmentId: string, year: number, row: ReportRow | undefined, now: Date): ReportStatus {
  const { submitBy, publishBy } = reportDeadlines(year);
  const state: ReportState = !row ? 'missing' : row.published_at ? 'published' : 'submitted';
  return {
    departmentId,
    year,
    state,
    submitBy,
    publishBy,
    submittedAt: row?.submitted_at ?? null,
    firstSubmittedAt: row?.first_submitted_at ?? null,
    submittedBy: row?.submitter ?? null,
    revision: row?.revision ?? 0,
    submittedLate: row?.submitted_late ?? false,
    publishedAt: row?.published_at ?? null,
    publishedBy: row?.publisher ?? null,
    publishedLate: row?.published_late ?? null,
    submitOverdue: state === 'missing' && now > submitBy,
    publishOverdue: state !== 'published' && now > publishBy,
    figures: row ? readFigures(row.figures) : null,
  };
}

/** An agency's report of a year: state, deadlines, lateness and the submitted snapshot. */
export async function reportStatus(ctx: PublicityContext, departmentId: string, year: number): Promise<ReportStatus> {
  const row = await reportsQuery(ctx)
    .where('r.department_id', '=', departmentId)
    .where('r.year', '=', year)
    .executeTakeFirst();
  return statusOf(departmentId, year, row, ctx.clock.now());
}

/** Every submission of a report, latest first (报送记录). */
export function submissionHistory(ctx: PublicityContext, departmentId: string, year: number) {
  return ctx.db
    .selectFrom('annual_report_submissions as h')
    .innerJoin('users as u', 'u.id', 'h.submitted_by')
    .select(['h.revision', 'h.submitted_at as submittedAt', 'u.display_name as submittedBy', 'h.late'])
    .where('h.department_id', '=', departmentId)
    .where('h.year', '=', year)
    .orderBy('h.revision', 'desc')
    .execute();
}

/** 报送: snapshots the agency's figures of an ended year for the justice bureau. Refused once published. */
export async function submitAnnualReport(ctx: PublicityContext, actor: Actor, year: number): Promise<ReportStatus> {
  const now = ctx.clock.now();
  if (year >= shanghaiYear(now)) throw new AppError(409, 'CONFLICT', '只能报送已结束年度的统计数据');
  const figures = JSON.stringify(await computeFigures(ctx, actor.departmentId, year));
  const late = now > reportDeadlines(year).submitBy;
  await ctx.db.transaction().execute(async (trx) => {
    // One statement decides first submission vs re-submission under the row lock; a published report is left alone.
    const row = await trx
      .insertInto('annual_reports')
      .values({
        department_id: actor.departmentId,
        year,
        figures,
        submitted_at: now,
        submitted_by: actor.id,
        first_submitted_at: now,
        submitted_late: late,
      })
      .onConflict((oc) =>
        oc
          .columns(['department_id', 'year'])
          .doUpdateSet((eb) => ({
            figures,
            submitted_at: now,
            submitted_by: actor.id,
            revision: eb('annual_reports.revision', '+', 1),
          }))
          .where('annual_reports.published_at', 'is', null),
      )
      .returning('revision')
      .executeTakeFirst();
    if (!row) throw new AppError(409, 'ANNUAL_REPORT_PUBLISHED', `${year} 年度统计已公开，不能再次报送`);
    await trx
      .insertInto('annual_report_submissions')
      .values({
        department_id: actor.departmentId,
        year,
        revision: row.revision,
        figures,
        submitted_at: now,
        submitted_by: actor.id,
        late,
      })
      .execute();
  });
  return reportStatus(ctx, actor.departmentId, year);
}

/** 公开: makes the latest submitted snapshot public. Needs a submission; a published report stays as it is. */
export async function publishAnnualReport(ctx: PublicityContext, actor: Actor, year: number): Promise<ReportStatus> {
  const now = ctx.clock.now();
  const updated = await ctx.db
    .updateTable('annual_reports')
    .set({ published_at: now, published_by: actor.id, published_late: now > reportDeadlines(year).publishBy })
    .where('department_id', '=', actor.departmentId)
    .where('year', '=', year)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  if (!updated.numUpdatedRows) {
    const status = await reportStatus(ctx, actor.departmentId, year);
    if (status.state === 'missing') {
      throw new AppError(409, 'ANNUAL_REPORT_NOT_SUBMITTED', `${year} 年度统计尚未报送，报送后才能公开`);
    }
    throw new AppError(409, 'ANNUAL_REPORT_PUBLISHED', `${year} 年度统计已公开`);
  }
  return reportStatus(ctx, actor.departmentId, year);
}

/**
 * The reminder on the legal unit's publicity page: from 1 January until last year's report is published, the
 * state and both deadlines, and which of them has passed.
 */
export async function annualReminder(ctx: PublicityContext, departmentId: string) {
  const year = shanghaiYear(ctx.clock.now()) - 1;
  const s = await reportStatus(ctx, departmentId, year);
  if (s.state === 'published') return null;
  return {
    year,
    state: s.state,
    stateLabel: REPORT_STATE_LABELS[s.state],
    submitBy: s.submitBy,
    publishBy: s.publishBy,
    submitLate: s.submitOverdue,
    submittedLate: s.submittedLate,
    publishLate: s.publishOverdue,
  };
}

/**
 * The reports of a year with each agency's snapshot and their sum (全市汇总): only published ones for the
 * public, every submitted one for the justice bureau. `legacyReports` counts version 1 snapshots.
 */
export async function yearReports(ctx: PublicityContext, year: number, opts: { publishedOnly: boolean }) {
  let query = ctx.db
    .selectFrom('annual_reports as r')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .select(['d.id', 'd.name', 'r.figures', 'r.submitted_at', 'r.published_at'])
    .where('r.year', '=', year);
  if (opts.publishedOnly) query = query.where('r.published_at', 'is not', null);
  const rows = await query.orderBy('d.code').execute();
  const agencies = rows.map((r) => ({
    id: r.id,
    name: r.name,
    submittedAt: r.submitted_at,
    publishedAt: r.published_at,
    figures: readFigures(r.figures),
  }));
  return {
    year,
    agencies,
    total: sumFigures(agencies.map((a) => a.figures)),
    legacyReports: agencies.filter((a) => a.figures.version === 1).length,
  };
}

export type YearReport = Awaited<ReturnType<typeof yearReports>>;

/** 报送情况: every agency's report state for the justice bureau, with on-time / late / missing. */
export async function agencyStatuses(ctx: PublicityContext, year: number) {
  const now = ctx.clock.now();
  const departments = await ctx.db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('kind', '=', 'agency')
    .orderBy('code')
    .execute();
  const rows = await reportsQuery(ctx).where('r.year', '=', year).execute();
  const byDepartment = new Map(rows.map((r) => [r.department_id, r]));
  return departments.map((d) => {
    const { figures: _figures, ...s } = statusOf(d.id, year, byDepartment.get(d.id), now);
    const submission = s.state === 'missing' ? 'missing' : s.submittedLate ? 'late' : 'on_time';
    return { ...s, name: d.name, submission } as const;
  });
}

export type AgencyStatus = Awaited<ReturnType<typeof agencyStatuses>>[number];
