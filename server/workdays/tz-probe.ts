/**
 * Test fixture (tz.test.ts): computes a fixed set of calendar results and prints them as JSON, so
 * that the test can run it under several TZ settings and compare. Not used by the service.
 */
import { WorkingCalendar } from './calendar.js';
import { chineseDaysSchedules } from './chinese-days.js';
import { instantToShanghaiDate } from './days.js';
import { addCalendarDays, addWorkingDays, remainingWorkingDays, workingDaysBetween } from './deadlines.js';

export function probe() {
  const calendar = new WorkingCalendar(chineseDaysSchedules());
  const starts = ['2025-01-24', '2025-09-30', '2026-02-13', '2026-09-30', '2026-12-25', '2026-12-31', '2024-02-28'];
  const instants = ['2026-10-13T15:59:59Z', '2026-10-13T16:00:00Z', '2026-03-08T06:30:00Z', '2026-11-01T05:30:00Z'];
  return {
    tz: process.env.TZ ?? null,
    deadlines: starts.flatMap((from) =>
      [1, 5, 20].map((n) => {
        const d = addWorkingDays(calendar, from, n);
        return { from, n, due: d.due, dueAt: d.dueAt.toISOString(), provisional: d.provisional, skipped: d.skipped };
      }),
    ),
    calendarDays: starts.map((from) => addCalendarDays(calendar, from, 7, true).due),
    between: workingDaysBetween(calendar, '2025-01-24', '2025-02-08'),
    shanghaiDates: instants.map((i) => instantToShanghaiDate(new Date(i))),
    remaining: instants.map((i) =>
      remainingWorkingDays(calendar, new Date(i), addWorkingDays(calendar, '2026-09-30', 5).dueAt),
    ),
  };
}

if (process.argv[1]?.endsWith('tz-probe.ts')) {
  // The zone the child really runs in, as the runtime applies it: minutes behind UTC on 2026-10-13.
  const localOffset = new Date('2026-10-13T00:00:00Z').getTimezoneOffset();
  process.stdout.write(JSON.stringify({ ...probe(), localOffset }));
}
