import { createRequire } from 'node:module';
import { type Kysely, sql } from 'kysely';

// The State Council's holiday notices as the chinese-days package records them (every year it knows,
// 2004 onwards at the time of writing). Later years are loaded through PUT /api/calendar/:year or
// `fashen calendar load`. Entries look like "National Day,国庆节,3": English name, Chinese name, id.
type Dated = Record<string, string>;
const requireJson = createRequire(import.meta.url);
const data: { holidays: Dated; workdays: Dated } = requireJson('chinese-days/dist/chinese-days.json');

interface Entry {
  date: string;
  name: string;
}

function byYear(dated: Dated): Map<number, Entry[]> {
  const out = new Map<number, Entry[]>();
  for (const date of Object.keys(dated).sort()) {
    const year = Number(date.slice(0, 4));
    const name = dated[date].split(',')[1]?.trim() || dated[date];
    out.set(year, [...(out.get(year) ?? []), { date, name }]);
  }
  return out;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE calendar_years (
      year integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
      holidays jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(holidays) = 'array'),
      makeup_workdays jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(makeup_workdays) = 'array'),
      source text NOT NULL CHECK (source IN ('chinese-days', 'manual')),
      loaded_by uuid REFERENCES users(id),
      loaded_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  const holidays = byYear(data.holidays);
  const workdays = byYear(data.workdays);
  const years = [...new Set([...holidays.keys(), ...workdays.keys()])].sort((a, b) => a - b);
  for (const year of years) {
    await sql`
      INSERT INTO calendar_years (year, holidays, makeup_workdays, source)
      VALUES (${year}, ${JSON.stringify(holidays.get(year) ?? [])}::jsonb,
              ${JSON.stringify(workdays.get(year) ?? [])}::jsonb, 'chinese-days')
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE calendar_years`.execute(db);
}
