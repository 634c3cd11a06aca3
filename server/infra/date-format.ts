/**
 * Dates and times as a reader in China reads them: in Beijing time (Asia/Shanghai), written
 * 2026年12月5日 09:12, a date alone 2026年12月5日 (GB/T 9704: Arabic numerals, no leading zeros in the date).
 * Every page, portal page, export and document that shows a moment goes through here.
 */

const PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A calendar date written without a zone (2026-12-05): a day, not an instant. */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function instantOf(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(d.getTime()) ? null : d;
}

function shanghaiParts(d: Date) {
  const p = Object.fromEntries(PARTS.formatToParts(d).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), time: `${p.hour}:${p.minute}` };
}

/** 2026-12-04T17:30:00Z → 2026年12月5日 01:30; '' for nothing or what is not a moment. */
export function formatDateTimeZh(value: unknown): string {
  const d = instantOf(value);
  if (!d) return '';
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日 ${p.time}`;
}

/** A moment's Beijing date, or a calendar date as it is: 2026-12-04T17:30:00Z and 2026-12-05 → 2026年12月5日. */
export function formatDateZh(value: unknown): string {
  const calendar = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (calendar) return `${Number(calendar[1])}年${Number(calendar[2])}月${Number(calendar[3])}日`;
  const d = instantOf(value);
  if (!d) return '';
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日`;
}
