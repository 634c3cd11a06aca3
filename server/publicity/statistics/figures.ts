import { sql } from 'kysely';
import type { Database } from '../../database/connect.js';
import type { WorkingCalendar } from '../../workdays/calendar.js';
import { formatDay, instantToShanghaiDate } from '../../workdays/days.js';
import { workingDaysBetween } from '../../workdays/deadlines.js';
import type { PublicityContext } from '../disclosures/timers.js';
import { CATEGORY_LABELS } from '../portal/exports.js';

/**
 * One agency's yearly enforcement figures (年度行政执法数据), as computed live and as snapshotted on
 * submission.
 *
 * - **Year.** A figure belongs to a year by an Asia/Shanghai civil date: a decision by its decision date,
 *   a review opinion by the day it was signed, a review task by the day of its deadline.
 * - **Review time (平均审核时长, working days).** For every review opinion (法制审核意见, kind `review`; 复核
 *   has its own limit and is not included): the working days from the day the handling unit submitted that
 *   round's packet (送审, or 再次报送 for a later round) to the day the reviewer signed the opinion, counted
 *   like a legal time limit with the working-day calendar: the working days in (submission day, signing
 *   day], so the submission day itself never counts, an opinion signed the same day takes 0, and weekends
 *   and public holidays (e.g. 国庆) are skipped while make-up working days (调休上班) count. The figure is
 *   the mean over the year's opinions, one decimal.
 * - **Overdue reviews (审核超期).** Review tasks (user tasks of the `reviewer` role: 法制审核 and 复核) whose
 *   deadline — as the runtime keeps it, approved extensions included — falls in the year, and that were
 *   completed after it, or are still open (and not paused) with it passed. Cancelled tasks (the case was
 *   withdrawn or ended otherwise) are not counted. Counting by deadline puts each task in exactly one year.
 * - **Disclosures (执法决定公开).** By decision date. A decision that a 复议 or a court corrected before it was
 *   published (disclosure `cancelled`, 不予公开) is no longer to be published: it counts among the year's
 *   decisions but not among those to be published (应公开), nor as overdue — even if its deadline had passed
 *   before the outcome was recorded, since the day the outcome took effect is not known here.
 *
 * Version 1 snapshots (submitted before review time was counted in working days) had `averageReviewDays` in
 * calendar days and no overdue reviews; `readFigures` keeps them readable as they were reported.
 */
export interface AnnualFigures {
  version: 1 | 2;
  decisions: Record<string, number>;
  reviews: {
    total: number;
    approved: number;
    returned: number;
    disapproved: number;
    transferred: number;
    /** Null in a version 1 snapshot, which did not count it. */
    overdue: number | null;
  };
  /** Mean review time in working days; null when no opinion was signed, and in a version 1 snapshot. */
  averageReviewWorkingDays: number | null;
  /** How many opinions the mean is taken over (weights the city-wide mean). */
  reviewsTimed: number;
  /** A version 1 snapshot's mean review time, in calendar days, as it was reported. */
  legacyAverageReviewCalendarDays?: number | null;
  disclosures: { total: number; published: number; onTime: number; overdue: number; withdrawn: number };
}

export const FIGURES_VERSION = 2;

export const REVIEW_TIME_DEFINITION =
  '平均审核时长：法制审核意见自该轮送审材料报送之日至审核意见签署之日的工作日数（报送当日不计，节假日、休息日不计，调休上班日计入）的平均值；复核不计入。';
export const DISCLOSURE_DEFINITION =
  '应公开决定：本年度作出的执法决定中，除公开前已被行政复议或行政诉讼变更、撤销、确认违法或确认无效（不予公开）以外的件数；不予公开的决定不计入逾期公开或超期未公开。';
export const OVERDUE_REVIEW_DEFINITION =
  '审核超期：审核期限（含经批准的延长）届满日在本年度内的法制审核、复核任务中，超过期限才完成的，以及期限已过仍未完成（暂停计时的除外）的件数。';

/** The Asia/Shanghai civil year as a half-open instant range. */
export function yearBounds(year: number): [Date, Date] {
  return [new Date(`${year}-01-01T00:00:00+08:00`), new Date(`${year + 1}-01-01T00:00:00+08:00`)];
}

/**
 * An instant's Asia/Shanghai day number (days since 1970-01-01 at UTC+8, as instantToShanghaiDay counts them), in
 * SQL: exact (no floating point) and cheap, so that it can be taken over thousands of rows per request.
 */
export function shanghaiDay(column: string) {
  // UTC+8 (SHANGHAI_OFFSET_MS), the fixed offset the day numbers of workdays/days.ts use.
  return sql<number>`(((${sql.ref(column)} AT TIME ZONE 'UTC') + interval '8 hours')::date - date '1970-01-01')`;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Working days from a round's submission to its opinion's signing, by the definition above. */
export function reviewWorkingDays(calendar: WorkingCalendar, submittedAt: Date, signedAt: Date): number {
  const days = workingDaysBetween(calendar, instantToShanghaiDate(submittedAt), instantToShanghaiDate(signedAt));
  return Math.max(0, days);
}

async function reviewFigures(db: Database, calendar: WorkingCalendar, departmentId: string, year: number, now: Date) {
  const [from, to] = yearBounds(year);
  // Statistics read across capabilities (cases, runtime) on purpose: they are a report over all of them.
  // One row per kind, conclusion, submission day and signing day (Asia/Shanghai day numbers, as
  // instantToShanghaiDay counts them), not per opinion: a department's year is thousands of opinions.
  // Timestamp and date arithmetic, not extract(epoch) (numeric: ten times the CPU over a department's year).
  const day = (column: string) => sql<number>`${shanghaiDay(column)}`;
  const groups = await db
    .selectFrom('review_opinions as o')
    .select(['o.kind', 'o.conclusion', sql<number>`count(*)::int`.as('n')])
    // Its round's submission time (the case's creation if it has no round), copied onto it (migration 20261208700000).
    .select(day('o.submitted_at').as('submitted_day'))
    // The opinion row is written in the transaction in which the reviewer signs it: its time is the signing time.
    .select(day('o.created_at').as('signed_day'))
    // The opinion's own copy of its case's department (migration 20261206600000): one index-only range per year.
    .where(sql.ref('o.department_id'), '=', departmentId)
    .where('o.created_at', '>=', from)
    .where('o.created_at', '<', to)
    .groupBy(['o.kind', 'o.conclusion', 'submitted_day', 'signed_day'])
    .execute();
  const by = (...k: string[]) => groups.filter((o) => k.includes(o.conclusion)).reduce((s, o) => s + o.n, 0);
  let timedCount = 0;
  let timedDays = 0;
  for (const o of groups.filter((g) => g.kind === 'review')) {
    const days = workingDaysBetween(calendar, formatDay(o.submitted_day), formatDay(o.signed_day));
    timedCount += o.n;
    timedDays += Math.max(0, days) * o.n;
  }
  const overdue = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('department_id', '=', departmentId)
    .where('role', '=', 'reviewer')
    .where('due_at', '>=', from)
    .where('due_at', '<', to)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'completed'), eb('ended_at', '>', eb.ref('due_at'))]),
        eb.and([eb('status', '=', 'open'), eb('paused_at', 'is', null), eb('due_at', '<', now)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return {
    reviews: {
      total: groups.reduce((s, o) => s + o.n, 0),
      approved: by('approve', 'approve_with_changes'),
      returned: by('return'),
      disapproved: by('disapprove'),
      transferred: by('transfer'),
      overdue: Number(overdue.n),
    },
    averageReviewWorkingDays: timedCount ? round1(timedDays / timedCount) : null,
    reviewsTimed: timedCount,
  };
}

async function disclosureFigures(db: Database, departmentId: string, year: number) {
  const [from, to] = [`${year}-01-01`, `${year + 1}-01-01`];
  const decided = await db
    .selectFrom('disclosures')
    .select(['category', (eb) => eb.fn.countAll<string>().as('n')])
    .where('department_id', '=', departmentId)
    .where('decision_date', '>=', from)
    .where('decision_date', '<', to)
    .groupBy('category')
    .execute();
  const decisions: Record<string, number> = Object.fromEntries(Object.keys(CATEGORY_LABELS).map((c) => [c, 0]));
  for (const r of decided) decisions[r.category] = Number(r.n);
  const disc = await db
    .selectFrom('disclosures')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where published_at is not null)`.as('published'),
      sql<number>`count(*) filter (where published_at is not null and published_at <= due_at)`.as('on_time'),
      sql<number>`count(*) filter (where overdue_at is not null or (published_at is not null and published_at > due_at))`.as(
        'overdue',
      ),
      sql<number>`count(*) filter (where status = 'withdrawn')`.as('withdrawn'),
    ])
    .where('department_id', '=', departmentId)
    .where('decision_date', '>=', from)
    .where('decision_date', '<', to)
    // Corrected before publication (不予公开): nothing is left to publish, so no timeliness either way.
    .where('status', '<>', 'cancelled')
    .executeTakeFirstOrThrow();
  return {
    decisions,
    disclosures: {
      total: Number(disc.total),
      published: Number(disc.published),
      onTime: Number(disc.on_time),
      overdue: Number(disc.overdue),
      withdrawn: Number(disc.withdrawn),
    },
  };
}

/** Computes an agency's figures for a year from disclosures, review opinions and review tasks, as of now. */
export async function computeFigures(
  ctx: Pick<PublicityContext, 'db' | 'calendar' | 'clock'>,
  departmentId: string,
  year: number,
): Promise<AnnualFigures> {
  const calendar = await ctx.calendar.calendarFor(ctx.db);
  const [reviews, disclosures] = await Promise.all([
    reviewFigures(ctx.db, calendar, departmentId, year, ctx.clock.now()),
    disclosureFigures(ctx.db, departmentId, year),
  ]);
  return {
    version: FIGURES_VERSION,
    decisions: disclosures.decisions,
    ...reviews,
    disclosures: disclosures.disclosures,
  };
}

export function emptyFigures(): AnnualFigures {
  return {
    version: FIGURES_VERSION,
    decisions: Object.fromEntries(Object.keys(CATEGORY_LABELS).map((c) => [c, 0])),
    reviews: { total: 0, approved: 0, returned: 0, disapproved: 0, transferred: 0, overdue: 0 },
    averageReviewWorkingDays: null,
    reviewsTimed: 0,
    disclosures: { total: 0, published: 0, onTime: 0, overdue: 0, withdrawn: 0 },
  };
}

type StoredV1 = Omit<AnnualFigures, 'version' | 'reviews' | 'averageReviewWorkingDays' | 'reviewsTimed'> & {
  reviews: Omit<AnnualFigures['reviews'], 'overdue'>;
  averageReviewDays: number | null;
};

/** A stored snapshot as figures: version 2 as it is, version 1 with its calendar-day mean kept aside. */
export function readFigures(stored: unknown): AnnualFigures {
  const f = stored as Partial<AnnualFigures>;
  if (f.version === FIGURES_VERSION) return stored as AnnualFigures;
  const v1 = stored as StoredV1;
  return {
    version: 1,
    decisions: { ...emptyFigures().decisions, ...v1.decisions },
    reviews: { ...v1.reviews, overdue: null },
    averageReviewWorkingDays: null,
    reviewsTimed: 0,
    legacyAverageReviewCalendarDays: v1.averageReviewDays ?? null,
    disclosures: v1.disclosures,
  };
}

/**
 * The sum of several agencies' figures (全市汇总). The mean review time is weighted by the opinions each mean
 * is taken over; version 1 snapshots count in every sum except the mean and the overdue reviews, which they
 * do not have (overdue stays null when no snapshot has it).
 */
export function sumFigures(list: AnnualFigures[]): AnnualFigures {
  const total = emptyFigures();
  let weighted = 0;
  let overdueKnown = false;
  for (const f of list) {
    for (const [k, v] of Object.entries(f.decisions)) total.decisions[k] = (total.decisions[k] ?? 0) + v;
    const { overdue, ...counts } = f.reviews;
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) total.reviews[k] += counts[k];
    if (overdue !== null) {
      overdueKnown = true;
      total.reviews.overdue = (total.reviews.overdue ?? 0) + overdue;
    }
    for (const k of Object.keys(total.disclosures) as (keyof AnnualFigures['disclosures'])[])
      total.disclosures[k] += f.disclosures[k];
    if (f.averageReviewWorkingDays !== null && f.reviewsTimed > 0) {
      weighted += f.averageReviewWorkingDays * f.reviewsTimed;
      total.reviewsTimed += f.reviewsTimed;
    }
  }
  if (!overdueKnown && list.length) total.reviews.overdue = null;
  total.averageReviewWorkingDays = total.reviewsTimed ? round1(weighted / total.reviewsTimed) : null;
  return total;
}
