import { type AliasableExpression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../database/schema.js';
import type { IndicatorKey } from './definitions.js';

/** The Asia/Shanghai civil year as a half-open instant range. */
const bounds = (year: number): [Date, Date] => [
  new Date(`${year}-01-01T00:00:00+08:00`),
  new Date(`${year + 1}-01-01T00:00:00+08:00`),
];

export interface Scope {
  year: number;
  now: Date;
  /** Limit to one agency; all agencies when absent. */
  departmentId?: string;
}

const CORRECTING = ['changed', 'revoked', 'confirmed_unlawful', 'confirmed_void'];
/** Items that trace to a case carry no supervision item; supervision items may be about an agency's work. */
const NO_ITEM = sql<string | null>`NULL::uuid`.as('supervision_id');

/**
 * One row per counted item of an indicator: the case it traces to, its agency, and whether it met the
 * indicator (for 纠错率: whether the decision stood). The same query counts (grouped) and lists (drill-down);
 * the agency filter is applied outside it, and PostgreSQL pushes it down.
 */
function itemsOf(db: Kysely<DB>, key: IndicatorKey, s: Scope) {
  const [from, to] = bounds(s.year);
  const decidedInYear = (eb: ExpressionBuilder<DB, 'cases'>) =>
    eb.and([
      eb('cases.status', '=', 'decided'),
      eb(sql<string>`cases.decision->>'date'`, '>=', `${s.year}-01-01`),
      eb(sql<string>`cases.decision->>'date'`, '<=', `${s.year}-12-31`),
    ]);
  /** Cases decided in the year, with whether each met the indicator. */
  const decidedCases = (met: (eb: ExpressionBuilder<DB, 'cases'>) => AliasableExpression<SqlBool>) =>
    db
      .selectFrom('cases')
      .select((eb) => [
        'cases.id as case_id',
        'cases.department_id',
        'cases.case_number',
        'cases.title',
        met(eb).as('met'),
        NO_ITEM,
      ])
      .where(decidedInYear);
  switch (key) {
    case 'review_coverage':
      // Reviewed: an opinion exists. Over the mandatory cases decided in the year.
      return decidedCases((eb) =>
        eb.exists(eb.selectFrom('review_opinions as o').select('o.id').whereRef('o.case_id', '=', 'cases.id')),
      ).where('cases.review_mandatory', '=', true);
    case 'decisions_corrected':
      // Met: the decision stood — no correcting 复议 or 诉讼 outcome. Over every decision of the year.
      return decidedCases((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('decision_challenges as x')
              .select('x.id')
              .whereRef('x.case_id', '=', 'cases.id')
              .where('x.outcome', 'in', CORRECTING as never[]),
          ),
        ),
      );
    case 'review_on_time':
      return db
        .selectFrom('tasks')
        .innerJoin('cases', 'cases.instance_id', 'tasks.instance_id')
        .select((eb) => [
          'cases.id as case_id',
          'tasks.department_id',
          'cases.case_number',
          'cases.title',
          eb.and([eb('tasks.status', '=', 'completed'), eb('tasks.ended_at', '<=', eb.ref('tasks.due_at'))]).as('met'),
          NO_ITEM,
        ])
        .where('tasks.role', '=', 'reviewer')
        .where('tasks.due_at', '>=', from)
        .where('tasks.due_at', '<', to)
        .where((eb) =>
          eb.or([
            eb('tasks.status', '=', 'completed'),
            eb.and([
              eb('tasks.status', '=', 'open'),
              eb('tasks.paused_at', 'is', null),
              eb('tasks.due_at', '<', s.now),
            ]),
          ]),
        );
    case 'disclosure_on_time':
      return db
        .selectFrom('disclosures')
        .innerJoin('cases', 'cases.id', 'disclosures.case_id')
        .select((eb) => [
          'cases.id as case_id',
          'disclosures.department_id',
          'cases.case_number',
          'cases.title',
          eb
            .and([
              eb('disclosures.published_at', 'is not', null),
              eb('disclosures.published_at', '<=', eb.ref('disclosures.due_at')),
            ])
            .as('met'),
          NO_ITEM,
        ])
        .where('disclosures.due_at', '>=', from)
        .where('disclosures.due_at', '<', to)
        .where((eb) =>
          eb.or([
            eb('disclosures.published_at', 'is not', null),
            eb.and([eb('disclosures.status', '=', 'pending'), eb('disclosures.due_at', '<', s.now)]),
          ]),
        );
    case 'complaints_on_time':
      // Traced to the complaint (its id and 受理编号), not to a case.
      return db
        .selectFrom('complaints as c')
        .select((eb) => [
          'c.id as case_id',
          'c.department_id',
          'c.number as case_number',
          sql<string>`CASE c.about WHEN 'officer' THEN '投诉举报执法人员' ELSE '投诉举报执法行为' END`.as('title'),
          eb.and([eb('c.answered_at', 'is not', null), eb('c.answered_at', '<=', eb.ref('c.due_at'))]).as('met'),
          NO_ITEM,
        ])
        .where('c.due_at', '>=', from)
        .where('c.due_at', '<', to)
        .where((eb) => eb.or([eb('c.status', '=', 'answered'), eb('c.due_at', '<', s.now)]));
    case 'satisfaction':
      return db
        .selectFrom('satisfaction_responses as r')
        .innerJoin('cases', 'cases.id', 'r.case_id')
        .select((eb) => [
          'cases.id as case_id',
          'r.department_id',
          'cases.case_number',
          'cases.title',
          eb('r.rating', 'in', ['satisfied', 'basically_satisfied']).as('met'),
          NO_ITEM,
        ])
        .where('r.answered_at', '>=', from)
        .where('r.answered_at', '<', to);
    case 'supervision_on_time':
      // Met: answered by the due date, and that answer accepted or awaiting review (not sent back).
      return db
        .selectFrom('supervision_items as s')
        .leftJoin('cases', 'cases.id', 's.case_id')
        .leftJoin('documents as doc', 'doc.id', 's.document_id')
        .select((eb) => [
          // Null for an item about an agency's work; typed as the other indicators' so one query lists all.
          sql<string>`s.case_id`.as('case_id'),
          's.department_id',
          eb.fn.coalesce('cases.case_number', 'doc.number', sql<string>`''`).as('case_number'),
          's.subject as title',
          eb
            .and([
              eb('s.status', 'in', ['answered', 'accepted']),
              eb('s.answered_at', '<=', eb.ref('s.due_at')),
              eb('s.overdue_at', 'is', null),
            ])
            .as('met'),
          's.id as supervision_id',
        ])
        .where('s.due_at', '>=', from)
        .where('s.due_at', '<', to)
        .where((eb) => eb.or([eb('s.status', '=', 'accepted'), eb('s.due_at', '<', s.now)]));
  }
}

/** Per agency: how many items the indicator counted and how many met it. */
export async function countsOf(db: Kysely<DB>, key: IndicatorKey, s: Scope) {
  const rows = await db
    .selectFrom(itemsOf(db, key, s).as('i'))
    .$if(Boolean(s.departmentId), (q) => q.where('i.department_id', '=', s.departmentId as string))
    .select((eb) => [
      'i.department_id',
      eb.fn.countAll<number>().as('total'),
      eb.fn.countAll<number>().filterWhere('i.met', '=', true).as('met'),
    ])
    .groupBy('i.department_id')
    .execute();
  return rows.map((r) => ({ departmentId: r.department_id, total: Number(r.total), met: Number(r.met) }));
}

/** The items behind a figure, newest case numbers first; `met` picks those that met it or those that did not. */
export async function itemsBehind(db: Kysely<DB>, key: IndicatorKey, s: Scope & { met?: boolean; limit: number }) {
  let q = db.selectFrom(itemsOf(db, key, s).as('i')).selectAll();
  if (s.departmentId) q = q.where('i.department_id', '=', s.departmentId);
  if (s.met !== undefined) q = q.where('i.met', '=', s.met);
  return q.orderBy('i.case_number', 'desc').limit(s.limit).execute();
}

export async function departments(db: Kysely<DB>) {
  return db.selectFrom('departments').select(['id', 'name']).orderBy('name').execute();
}
