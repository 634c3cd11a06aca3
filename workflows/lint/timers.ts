import type { BaseElement } from 'bpmn-moddle';
import { describe, type Issue, issueAt } from './issues.js';
import { childOf, stringOf } from './walk.js';

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(
  `^P(?!$)(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?=\\d)(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const REPEAT = /^R(\d*)\/(.+)$/;

const UNIT_SECONDS = [365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1];

/** Seconds in an ISO-8601 duration (years as 365 days, months as 30), or null if it is not one. */
export function durationSeconds(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  let seconds = 0;
  for (let i = 0; i < UNIT_SECONDS.length; i++) {
    const part = match[i + 1];
    if (part !== undefined) seconds += Number(part.replace(',', '.')) * UNIT_SECONDS[i];
  }
  return seconds;
}

export function isIsoDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((p) => Number(p ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

/**
 * The window a deployed timer must keep to: an unbounded or very fast cycle fires forever, a duration of
 * P9999Y or a date in the past is a typing error, never a review rule.
 */
export interface TimerBounds {
  /** Shortest period of a repeating cycle (timeCycle), in seconds. */
  minCycleSeconds: number;
  /** Longest a duration, a date's distance from now or a cycle's whole run may span, in seconds. */
  maxSpanSeconds: number;
  /** Now, in epoch milliseconds (dates must not lie before it). */
  now: number;
}

export const DEFAULT_MIN_CYCLE_SECONDS = 3600;
export const MAX_SPAN_YEARS = 10;
const YEAR_SECONDS = 365 * 86400;

export function defaultTimerBounds(overrides: Partial<TimerBounds> = {}): TimerBounds {
  return {
    minCycleSeconds: DEFAULT_MIN_CYCLE_SECONDS,
    maxSpanSeconds: MAX_SPAN_YEARS * YEAR_SECONDS,
    now: Date.now(),
    ...overrides,
  };
}

/** Why a timer value is unacceptable, or null if it is fine. */
export function timerProblem(
  kind: 'timeDuration' | 'timeDate' | 'timeCycle',
  value: string,
  bounds: TimerBounds = defaultTimerBounds(),
): string | null {
  if (kind === 'timeDate') return dateProblem(value, bounds);
  if (kind === 'timeDuration') return durationProblem(value, bounds);
  const repeat = REPEAT.exec(value);
  if (!repeat) return `timeCycle 不是合法的 ISO-8601 重复间隔（R[n]/…）：${value}`;
  if (repeat[1] === '') return `timeCycle 必须写明重复次数（如 R3/PT24H），不限次数的循环会无休止地触发：${value}`;
  const count = Number(repeat[1]);
  if (count < 1) return `timeCycle 的重复次数必须至少为 1：${value}`;
  const parts = repeat[2].split('/');
  const durations = parts.filter((p) => p.startsWith('P'));
  if (parts.length > 2 || durations.length !== 1 || !parts.every((p) => p.startsWith('P') || isIsoDateTime(p))) {
    return `timeCycle 不是合法的 ISO-8601 重复间隔（R[n]/[开始/]时长）：${value}`;
  }
  const start = parts.find((p) => !p.startsWith('P'));
  const startProblem = start ? dateProblem(start, bounds) : null;
  if (startProblem) return startProblem;
  const problem = durationProblem(durations[0], bounds);
  if (problem) return problem;
  const period = periodSeconds(durations[0]);
  if (period < bounds.minCycleSeconds) {
    return `timeCycle 的周期过短（至少 ${spanText(bounds.minCycleSeconds)}）：${value}`;
  }
  if (count * period > bounds.maxSpanSeconds) {
    return `timeCycle 的总时长超过 ${spanText(bounds.maxSpanSeconds)}（${count} 次 × ${durations[0]}）：${value}`;
  }
  return null;
}

// Fashen's one extension of ISO-8601 (the runtime turns it into seconds with the working-day calendar).
const WORKING_DAYS = /^P(\d{1,3})WD$/;

/** Seconds of a duration, counting a working day as a calendar day (the least it can be). */
function periodSeconds(value: string): number {
  const workingDays = WORKING_DAYS.exec(value);
  return workingDays ? Number(workingDays[1]) * 86400 : (durationSeconds(value) ?? 0);
}

function durationProblem(value: string, bounds: TimerBounds): string | null {
  const workingDays = WORKING_DAYS.exec(value);
  // At most 999 working days (the pattern's three digits): about four years, inside the window.
  if (workingDays) return Number(workingDays[1]) >= 1 ? null : `工作日时长至少为 1 天：${value}`;
  const seconds = durationSeconds(value);
  if (seconds === null) return `不是合法的 ISO-8601 时长（如 PT2H、P3D，或工作日 P5WD）：${value}`;
  if (seconds < 1) return `时长过短（至少 1 秒）：${value}`;
  if (seconds > bounds.maxSpanSeconds) return `时长超过 ${spanText(bounds.maxSpanSeconds)}：${value}`;
  return null;
}

function dateProblem(value: string, bounds: TimerBounds): string | null {
  if (!isIsoDateTime(value)) return `timeDate 不是合法的 ISO-8601 日期时间：${value}`;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return `timeDate 不是合法的 ISO-8601 日期时间：${value}`;
  if (at < bounds.now) return `日期已过（不得早于部署时间）：${value}`;
  if (at - bounds.now > bounds.maxSpanSeconds * 1000)
    return `日期距今超过 ${spanText(bounds.maxSpanSeconds)}：${value}`;
  return null;
}

function spanText(seconds: number): string {
  if (seconds % YEAR_SECONDS === 0) return `${seconds / YEAR_SECONDS} 年`;
  if (seconds % 86400 === 0) return `${seconds / 86400} 天`;
  if (seconds % 3600 === 0) return `${seconds / 3600} 小时`;
  if (seconds % 60 === 0) return `${seconds / 60} 分钟`;
  return `${seconds} 秒`;
}

const TIMER_KINDS = ['timeDuration', 'timeDate', 'timeCycle'] as const;

/** A timer event definition must set exactly one of timeDuration, timeDate, timeCycle, to a valid ISO value. */
export function checkTimer(definition: BaseElement, bounds: TimerBounds = defaultTimerBounds()): Issue[] {
  const owner = definition.$parent ?? definition;
  const set = TIMER_KINDS.flatMap((kind) => {
    const expression = childOf(definition, kind);
    return expression ? [{ kind, value: (stringOf(expression, 'body') ?? '').trim() }] : [];
  });
  if (set.length !== 1) {
    return [
      issueAt('BPMN_INVALID', owner, `${describe(owner)}的定时器必须且只能设置 timeDuration、timeDate、timeCycle 之一`),
    ];
  }
  const problem = timerProblem(set[0].kind, set[0].value, bounds);
  return problem ? [issueAt('BPMN_INVALID', owner, `${describe(owner)}的定时器${problem}`)] : [];
}
