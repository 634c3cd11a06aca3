import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { Checklist, Deduction, Population } from './checklist.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Cases decided in the year (by the decision's date), per agency in draw order: case number, then id. */
export async function decidedCasesOfYear(db: Db, year: number) {
  return db
    .selectFrom('cases')
    .select(['id', 'department_id'])
    .where('status', '=', 'decided')
    .where(sql<string>`decision->>'date'`, '>=', `${year}-01-01`)
    .where(sql<string>`decision->>'date'`, '<=', `${year}-12-31`)
    .orderBy('department_id')
    .orderBy('case_number')
    .orderBy('id')
    .execute();
}

export async function usersByIds(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'department_id', 'roles'])
    .where('id', 'in', ids)
    .where('active', '=', true)
    .execute();
}

export async function insertChecklist(db: Db, row: { title: string; items: Checklist['items']; createdBy: string }) {
  return db
    .insertInto('evaluation_checklists')
    .values({ title: row.title, items: JSON.stringify(row.items), created_by: row.createdBy })
    .returning(['id', 'title', 'items', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function listChecklists(db: Db) {
  return db
    .selectFrom('evaluation_checklists')
    .select(['id', 'title', 'items', 'created_at'])
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findChecklist(db: Db, id: string) {
  return db
    .selectFrom('evaluation_checklists')
    .select(['id', 'title', 'items'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface NewRound {
  title: string;
  year: number;
  seed: string;
  perAgency: number;
  evaluatorsPerCase: number;
  checklist: Checklist;
  population: Population;
  rectifyWorkingDays: number;
  createdBy: string;
}

export async function insertRound(trx: Transaction<DB>, r: NewRound) {
  return trx
    .insertInto('evaluation_rounds')
    .values({
      title: r.title,
      year: r.year,
      seed: r.seed,
      per_agency: r.perAgency,
      evaluators_per_case: r.evaluatorsPerCase,
      checklist: JSON.stringify(r.checklist),
      population: JSON.stringify(r.population),
      rectify_working_days: r.rectifyWorkingDays,
      created_by: r.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertDrawn(
  trx: Transaction<DB>,
  roundId: string,
  drawn: { caseId: string; departmentId: string; evaluators: string[] }[],
) {
  if (!drawn.length) return;
  await trx
    .insertInto('evaluation_cases')
    .values(
      drawn.map((d, i) => ({ round_id: roundId, case_id: d.caseId, department_id: d.departmentId, draw_order: i })),
    )
    .execute();
  await trx
    .insertInto('evaluation_scores')
    .values(drawn.flatMap((d) => d.evaluators.map((e) => ({ round_id: roundId, case_id: d.caseId, evaluator_id: e }))))
    .execute();
}

const roundColumns = [
  'r.id',
  'r.title',
  'r.year',
  'r.seed',
  'r.per_agency',
  'r.evaluators_per_case',
  'r.checklist',
  'r.population',
  'r.rectify_working_days',
  'r.status',
  'r.rectify_due_at',
  'r.created_at',
  'r.closed_at',
] as const;

export async function findRound(db: Db, id: string, lock = false) {
  let q = db.selectFrom('evaluation_rounds as r').select(roundColumns).where('r.id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listRounds(db: Db) {
  return db
    .selectFrom('evaluation_rounds as r')
    .select(roundColumns)
    .orderBy('r.created_at', 'desc')
    .limit(200)
    .execute();
}

/** The drawn cases of a round with their agency, and every evaluator's score row. */
export async function drawnOfRound(db: Db, roundId: string) {
  const cases = await db
    .selectFrom('evaluation_cases as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('departments as d', 'd.id', 'e.department_id')
    .select(['e.case_id', 'e.department_id', 'e.draw_order', 'c.case_number', 'c.title', 'd.name as department_name'])
    .where('e.round_id', '=', roundId)
    .orderBy('e.draw_order')
    .execute();
  const scores = await db
    .selectFrom('evaluation_scores as s')
    .innerJoin('users as u', 'u.id', 's.evaluator_id')
    .select(['s.case_id', 's.evaluator_id', 'u.display_name', 's.score', 's.deductions', 's.comment', 's.submitted_at'])
    .where('s.round_id', '=', roundId)
    .orderBy('u.display_name')
    .execute();
  return { cases, scores };
}

export async function scoreRow(db: Db, roundId: string, caseId: string, evaluatorId: string) {
  return db
    .selectFrom('evaluation_scores')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('case_id', '=', caseId)
    .where('evaluator_id', '=', evaluatorId)
    .executeTakeFirst();
}

export async function saveScore(
  trx: Transaction<DB>,
  key: { roundId: string; caseId: string; evaluatorId: string },
  s: { score: number; deductions: Deduction[]; comment: string; at: Date },
) {
  await trx
    .updateTable('evaluation_scores')
    .set({ score: s.score, deductions: JSON.stringify(s.deductions), comment: s.comment, submitted_at: s.at })
    .where('round_id', '=', key.roundId)
    .where('case_id', '=', key.caseId)
    .where('evaluator_id', '=', key.evaluatorId)
    .execute();
}

/** The cases an evaluator is to score or has scored, open rounds first. */
export async function assignmentsOf(db: Db, evaluatorId: string) {
  return db
    .selectFrom('evaluation_scores as s')
    .innerJoin('evaluation_rounds as r', 'r.id', 's.round_id')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      's.round_id',
      'r.title as round_title',
      'r.status',
      's.case_id',
      'c.case_number',
      'c.title',
      'd.name as department_name',
      's.score',
      's.submitted_at',
    ])
    .where('s.evaluator_id', '=', evaluatorId)
    .orderBy('r.status', 'desc')
    .orderBy('r.created_at', 'desc')
    .orderBy('c.case_number')
    .limit(500)
    .execute();
}

export async function closeRound(trx: Transaction<DB>, roundId: string, at: Date, rectifyDueAt: Date) {
  await trx
    .updateTable('evaluation_rounds')
    .set({ status: 'closed', closed_at: at, rectify_due_at: rectifyDueAt })
    .where('id', '=', roundId)
    .execute();
}

export async function insertRectification(
  db: Db,
  r: { roundId: string; departmentId: string; answer: string; answeredBy: string; at: Date },
) {
  return db
    .insertInto('evaluation_rectifications')
    .values({
      round_id: r.roundId,
      department_id: r.departmentId,
      answer: r.answer,
      answered_by: r.answeredBy,
      answered_at: r.at,
    })
    .returning(['id', 'answered_at'])
    .executeTakeFirstOrThrow();
}

export async function rectificationsOf(db: Db, roundId: string) {
  return db
    .selectFrom('evaluation_rectifications as x')
    .innerJoin('users as u', 'u.id', 'x.answered_by')
    .select(['x.id', 'x.department_id', 'x.answer', 'u.display_name as answered_by', 'x.answered_at'])
    .where('x.round_id', '=', roundId)
    .orderBy('x.answered_at')
    .execute();
}

export async function departmentNames(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
