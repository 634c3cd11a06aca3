import type { ColumnType, Generated, Selectable } from 'kysely';

/** jsonb: read as parsed JSON, written as JSON text (pg would send a JS array as a PostgreSQL array). */
type Json<T> = ColumnType<T, string, string>;

/** A dated schedule entry as stored: the day and the holiday it belongs to (国庆节, 春节, …). */
export interface StoredDayEntry {
  date: string;
  name: string;
}

export type CalendarSource = 'chinese-days' | 'manual';

/** One row per year whose State Council notice is loaded; a missing row means "Monday–Friday, provisional". */
export interface CalendarYearsTable {
  year: number;
  holidays: Json<StoredDayEntry[]>;
  makeup_workdays: Json<StoredDayEntry[]>;
  source: CalendarSource;
  loaded_by: string | null;
  loaded_at: Generated<Date>;
}

export interface CalendarTables {
  calendar_years: CalendarYearsTable;
}

export type CalendarYearRow = Selectable<CalendarYearsTable>;
