import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { CalendarSource, StoredDayEntry } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export function listCalendarYears(db: Db) {
  return db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
}

export function findCalendarYear(db: Db, year: number) {
  return db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
}

/** Changes whenever a year is added or replaced; lets a process notice another process's upload. */
export async function calendarFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom('calendar_years')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('loaded_at').as('latest')])
    .executeTakeFirstOrThrow();
  const latest = row.latest as Date | string | null;
  return `${row.n}:${latest instanceof Date ? latest.toISOString() : String(latest)}`;
}

/** Inserts the year or replaces all of it. */
export function upsertCalendarYear(
  db: Db,
  values: {
    year: number;
    holidays: StoredDayEntry[];
    makeupWorkdays: StoredDayEntry[];
    source: CalendarSource;
    loadedBy: string | null;
  },
) {
  const row = {
    year: values.year,
    holidays: JSON.stringify(values.holidays),
    makeup_workdays: JSON.stringify(values.makeupWorkdays),
    source: values.source,
    loaded_by: values.loadedBy,
  };
  return db
    .insertInto('calendar_years')
    .values(row)
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({
        holidays: row.holidays,
        makeup_workdays: row.makeup_workdays,
        source: row.source,
        loaded_by: row.loaded_by,
        loaded_at: sql<Date>`clock_timestamp()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
