/**
 * Working-day deadlines per second: the prefix-sum index against a naive day-by-day Date loop, on the
 * chinese-days schedules (2004 onwards). Run with `npx tsx bench/calendar.ts [count]`.
 */
import { WorkingCalendar, type YearSchedule } from '../server/workdays/calendar.js';
import { chineseDaysSchedules } from '../server/workdays/chinese-days.js';
import { dayNumber, formatDay, MS_PER_DAY, SHANGHAI_OFFSET_MS } from '../server/workdays/days.js';
import { addWorkingDays } from '../server/workdays/deadlines.js';

const COUNT = Number(process.argv[2] ?? 1_000_000);
const MAX_WORKING_DAYS = 20;

/** mulberry32: a seeded generator, so every run computes the same deadlines. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The obvious implementation: walk forward one Date at a time and look each day up in sets. */
function naiveDue(holidays: Set<string>, makeup: Set<string>, fromDate: string, n: number): string {
  const at = new Date(`${fromDate}T00:00:00+08:00`);
  let left = n;
  let date = fromDate;
  while (left > 0) {
    at.setTime(at.getTime() + MS_PER_DAY);
    const civil = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
    date = civil.toISOString().slice(0, 10);
    const weekday = civil.getUTCDay();
    if (makeup.has(date) || (!holidays.has(date) && weekday !== 0 && weekday !== 6)) left--;
  }
  return date;
}

function rate(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString('en-US');
}

const schedules: YearSchedule[] = chineseDaysSchedules();
const calendar = new WorkingCalendar(schedules);
const holidays = new Set(schedules.flatMap((s) => s.holidays));
const makeup = new Set(schedules.flatMap((s) => s.makeupWorkdays));

const first = dayNumber(`${schedules[0].year}-01-01`);
const last = dayNumber(`${schedules[schedules.length - 1].year}-12-31`);
const next = random(20261125);
const froms: string[] = new Array(COUNT);
const counts = new Int32Array(COUNT);
for (let k = 0; k < COUNT; k++) {
  froms[k] = formatDay(first + Math.floor(next() * (last - first + 1)));
  counts[k] = 1 + Math.floor(next() * MAX_WORKING_DAYS);
}

function runIndexed(): { ms: number; dues: string[] } {
  const dues: string[] = new Array(COUNT);
  const t0 = performance.now();
  for (let k = 0; k < COUNT; k++) dues[k] = addWorkingDays(calendar, froms[k], counts[k]).due;
  return { ms: performance.now() - t0, dues };
}

function runNaive(): { ms: number; dues: string[] } {
  const dues: string[] = new Array(COUNT);
  const t0 = performance.now();
  for (let k = 0; k < COUNT; k++) dues[k] = naiveDue(holidays, makeup, froms[k], counts[k]);
  return { ms: performance.now() - t0, dues };
}

// Warm both paths up so that the JIT compiles them before timing.
for (let k = 0; k < 20_000; k++) {
  addWorkingDays(calendar, froms[k % COUNT], counts[k % COUNT]);
  naiveDue(holidays, makeup, froms[k % COUNT], counts[k % COUNT]);
}

const indexed = runIndexed();
const naive = runNaive();
let mismatches = 0;
for (let k = 0; k < COUNT; k++) if (indexed.dues[k] !== naive.dues[k]) mismatches++;

console.log(
  `calendar years ${schedules[0].year}–${schedules[schedules.length - 1].year}, ${COUNT.toLocaleString('en-US')} deadlines of 1–${MAX_WORKING_DAYS} working days (full result: due, dueAt, provisional, skipped)`,
);
console.log(`indexed (prefix sums):  ${indexed.ms.toFixed(0)} ms  ${rate(COUNT, indexed.ms)} deadlines/s`);
console.log(`naive (day-by-day Date): ${naive.ms.toFixed(0)} ms  ${rate(COUNT, naive.ms)} deadlines/s (due only)`);
console.log(`ratio: ${(naive.ms / indexed.ms).toFixed(1)}x   mismatching dues: ${mismatches}`);
if (mismatches > 0 || (COUNT / indexed.ms) * 1000 < 500_000) process.exitCode = 1;
