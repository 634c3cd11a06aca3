import type { WorkingCalendar } from '../../workdays/calendar.js';
import { workingDaysBetween } from '../../workdays/deadlines.js';

/** Reviewers (法制审核人员, legal advisers and public-sector lawyers included) per enforcement officer. */
export const REVIEWER_SHARE_PERCENT = 5;

export interface StaffingCheck {
  enforcementStaff: number;
  reviewers: number;
  /** The fewest reviewers that meet the rule. */
  required: number;
  /** Reviewers as a share of enforcement staff, one decimal; null when no staff number is on file. */
  percent: number | null;
  /** `unknown` when the department has not filed its enforcement staff number. */
  state: 'pass' | 'fail' | 'unknown';
  /** How many reviewers are missing to meet the rule. */
  shortfall: number;
}

/**
 * The staffing rule: reviewers at least 5% of enforcement staff. Counted in integers (reviewers × 100 ≥
 * staff × 5) so that 5 of 100 passes exactly and no rounding decides a borderline case.
 */
export function staffingCheck(enforcementStaff: number, reviewers: number): StaffingCheck {
  const required = Math.ceil((enforcementStaff * REVIEWER_SHARE_PERCENT) / 100);
  if (enforcementStaff <= 0) {
    return { enforcementStaff, reviewers, required: 0, percent: null, state: 'unknown', shortfall: 0 };
  }
  const pass = reviewers * 100 >= enforcementStaff * REVIEWER_SHARE_PERCENT;
  return {
    enforcementStaff,
    reviewers,
    required,
    percent: Math.round((reviewers * 1000) / enforcementStaff) / 10,
    state: pass ? 'pass' : 'fail',
    shortfall: Math.max(required - reviewers, 0),
  };
}

/** How many reviews started on one Shanghai civil day and ended on another. */
export interface ReviewSpan {
  from: string;
  to: string;
  count: number;
}

export interface ReviewTime {
  reviews: number;
  /** Mean working days from assignment to signed opinion, one decimal; null without finished reviews. */
  averageWorkingDays: number | null;
  maxWorkingDays: number | null;
}

/**
 * Working days each review took: those in (assigned day, signed day], the assignment day not counted —
 * the way review time limits are counted — so an opinion signed the day of assignment took 0 days.
 */
export function reviewTime(calendar: WorkingCalendar, spans: readonly ReviewSpan[]): ReviewTime {
  let reviews = 0;
  let total = 0;
  let max: number | null = null;
  for (const s of spans) {
    const days = Math.max(workingDaysBetween(calendar, s.from, s.to), 0);
    reviews += s.count;
    total += days * s.count;
    max = max === null ? days : Math.max(max, days);
  }
  return {
    reviews,
    averageWorkingDays: reviews ? Math.round((total * 10) / reviews) / 10 : null,
    maxWorkingDays: max,
  };
}

/** Width of a bar in a bar list, as a percentage of the largest value (at least a sliver when non-zero). */
export function barPercent(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(Math.round((value * 100) / max), 2);
}
