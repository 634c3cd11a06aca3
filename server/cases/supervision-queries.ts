import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { taskStateColumns, toStateCounts } from '../tasks/task-stats.js';
import { type CaseFilter, filteredCases, pageFromNewest } from './queries.js';
import type { CaseStatus } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Case states in which a review is still under way (the rest are closed). */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = [
  'accepting',
  'completing',
  'reviewing',
  'correcting',
  'contesting',
  'rereviewing',
  'coordinating',
  'deciding',
  'recording',
];

/** How many of a department's cases are in each open state. */
export async function openCasesByStatus(db: Db, departmentId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('department_id', '=', departmentId)
    .where('status', 'in', OPEN_CASE_STATUSES)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

export interface SupervisionFilter extends CaseFilter {
  limit: number;
  offset: number;
}

/** Cases of every department for the justice bureau, most recently changed first, with the reviewer's name. */
export async function supervisedCases(db: Db, f: SupervisionFilter) {
  // A text search first reads the newest cases of the rest of the filter (see pageFromNewest).
  const fromNewest = await pageFromNewest(db, f, (w) =>
    w
      .innerJoin('departments as d', 'd.id', 'cases.department_id')
      .leftJoin('users as r', 'r.id', 'cases.reviewer_id')
      .select(SUPERVISED_COLUMNS)
      .orderBy('cases.updated_at', 'desc')
      .orderBy('cases.id')
      .limit(f.limit)
      .offset(f.offset),
  );
  if (fromNewest) return fromNewest;
  return filteredCases(db, f)
    .innerJoin('departments as d', 'd.id', 'cases.department_id')
    .leftJoin('users as r', 'r.id', 'cases.reviewer_id')
    .select(SUPERVISED_COLUMNS)
    .orderBy('cases.updated_at', 'desc')
    .orderBy('cases.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

const SUPERVISED_COLUMNS = [
  'cases.id',
  'cases.instance_id',
  'cases.case_number',
  'cases.title',
  'cases.category',
  'cases.status',
  'cases.current_round',
  'cases.updated_at',
  'd.name as department_name',
  'r.display_name as reviewer_name',
] as const;

/** How many of the filtered cases are still under review. */
export async function countOpenCases(db: Db, f: Omit<SupervisionFilter, 'limit' | 'offset'>): Promise<number> {
  const row = await filteredCases(db, f)
    .where('cases.status', 'in', OPEN_CASE_STATUSES)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open tasks of the filtered cases in each traffic-light state. */
export async function filteredTaskStates(
  db: Db,
  now: Date,
  soon: Date,
  f: Omit<SupervisionFilter, 'limit' | 'offset'>,
) {
  const row = await filteredCases(db, f)
    .innerJoin('tasks', 'tasks.instance_id', 'cases.instance_id')
    .where('tasks.status', '=', 'open')
    .select(taskStateColumns(now, soon))
    .executeTakeFirstOrThrow();
  return toStateCounts(row);
}
