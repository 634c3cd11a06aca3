import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { INDICATOR_KEYS, INDICATORS, type IndicatorKey } from './definitions.js';
import * as q from './queries.js';

const CITY_WIDE = ['supervisor', 'admin'];

/** The agencies the reader may see: all for the justice bureau, its own for an agency's legal unit or head. */
function scopeOf(actor: Actor, departmentId?: string): string | undefined {
  if (actor.roles.some((r) => CITY_WIDE.includes(r))) return departmentId;
  if (departmentId && departmentId !== actor.departmentId)
    throw new AppError(403, 'FORBIDDEN', '只能查看本机关的考核指标');
  return actor.departmentId;
}

const rate = (met: number, total: number) => (total ? Math.round((met / total) * 1000) / 10 : null);

export interface Figure {
  total: number;
  met: number;
  /** Percentage of items meeting the indicator (for 纠错率: of decisions corrected), one decimal; null when none. */
  rate: number | null;
}

/** Every indicator for every agency in scope, and the total over them, for a year. */
export async function indicatorTable(db: Kysely<DB>, actor: Actor, year: number, now: Date, departmentId?: string) {
  const scoped = scopeOf(actor, departmentId);
  const counts = await Promise.all(
    INDICATOR_KEYS.map(async (key) => [key, await q.countsOf(db, key, { year, now, departmentId: scoped })] as const),
  );
  const names = await q.departments(db);
  const figure = (key: IndicatorKey, total: number, met: number): Figure => {
    const shown = INDICATORS[key].better === 'lower' ? total - met : met;
    return { total, met: shown, rate: rate(shown, total) };
  };
  const agencies = names
    .filter((d) => (scoped ? d.id === scoped : counts.some(([, rows]) => rows.some((r) => r.departmentId === d.id))))
    .map((d) => ({
      departmentId: d.id,
      departmentName: d.name,
      figures: Object.fromEntries(
        counts.map(([key, rows]) => {
          const r = rows.find((x) => x.departmentId === d.id);
          return [key, figure(key, r?.total ?? 0, r?.met ?? 0)];
        }),
      ) as Record<IndicatorKey, Figure>,
    }));
  const overall = Object.fromEntries(
    counts.map(([key, rows]) => {
      const total = rows.reduce((s, r) => s + r.total, 0);
      return [
        key,
        figure(
          key,
          total,
          rows.reduce((s, r) => s + r.met, 0),
        ),
      ];
    }),
  ) as Record<IndicatorKey, Figure>;
  return {
    year,
    indicators: INDICATOR_KEYS.map((key) => ({ key, ...INDICATORS[key] })),
    agencies,
    overall,
  };
}

/** The cases behind one figure: what it counted, or only what counted against it (`against`). */
export async function casesBehind(
  db: Kysely<DB>,
  actor: Actor,
  s: { key: IndicatorKey; year: number; now: Date; departmentId?: string; against?: boolean },
) {
  const scoped = scopeOf(actor, s.departmentId);
  const items = await q.itemsBehind(db, s.key, {
    year: s.year,
    now: s.now,
    departmentId: scoped,
    met: s.against ? false : undefined,
    limit: 1000,
  });
  const subject = INDICATORS[s.key].subject;
  return items.map((i) => ({
    subject,
    href:
      subject === 'complaint'
        ? `/complaints/${i.case_id}`
        : subject === 'supervision'
          ? `/supervision/${i.supervision_id}`
          : `/cases/${i.case_id}`,
    // A complaint is no case: its id is only in the address.
    caseId: subject === 'complaint' ? null : (i.case_id as string | null),
    supervisionId: i.supervision_id,
    caseNumber: i.case_number,
    title: i.title,
    departmentId: i.department_id,
    met: Boolean(i.met),
  }));
}
