import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { poolIsCitywide } from './pool-queries.js';
import type { CaseRow } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** What decides who may review a department's cases: its enforcement system and the justice bureau's pool switch. */
async function poolScope(db: Db, departmentId: string) {
  const [dept, citywide] = await Promise.all([
    db.selectFrom('departments').select('enforcement_system').where('id', '=', departmentId).executeTakeFirst(),
    poolIsCitywide(db),
  ]);
  return { system: dept?.enforcement_system ?? null, citywide };
}

/**
 * Picks the reviewer for a case: active reviewers of the department and of the shared pool (人才库), least open
 * work first, the department's own before borrowed ones. The pool lends only within the department's enforcement
 * system (本系统内, seed 三(三)1) unless the justice bureau has opened it city-wide. A first-time reviewer
 * (初次从事法制审核) without 法律职业资格 is never picked (行政处罚法 第五十八条第二款). Nobody who handled the case
 * (the submitter or an officer on it) or who declared a conflict may review it (回避).
 */
export async function pickReviewer(
  trx: Transaction<DB>,
  c: Pick<CaseRow, 'id' | 'department_id' | 'submitted_by' | 'packet'>,
) {
  const excluded = [c.submitted_by, ...c.packet.officerIds];
  const scope = await poolScope(trx, c.department_id);
  const picked = await trx
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name',
      'u.department_id',
      'd.name as department_name',
      'u.first_time_reviewer',
      'u.legal_qualification_number',
      (eb) =>
        eb
          .selectFrom('tasks')
          .select((e) => e.fn.countAll<string>().as('n'))
          .where('tasks.assignee_id', '=', eb.ref('u.id'))
          .where('tasks.status', '=', 'open')
          .as('open_tasks'),
    ])
    .where('u.active', '=', true)
    .where(sql<boolean>`'reviewer' = ANY(u.roles)`)
    .where((eb) => {
      const borrowable = scope.citywide
        ? eb('p.user_id', 'is not', null)
        : scope.system
          ? eb.and([eb('p.user_id', 'is not', null), eb('d.enforcement_system', '=', scope.system)])
          : sql<boolean>`false`;
      return eb.or([eb('u.department_id', '=', c.department_id), borrowable]);
    })
    .where((eb) => eb.or([eb('u.first_time_reviewer', '=', false), eb('u.legal_qualification_number', 'is not', null)]))
    .where('u.id', 'not in', excluded)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_conflicts as cc')
            .select('cc.user_id')
            .whereRef('cc.user_id', '=', 'u.id')
            .where('cc.case_id', '=', c.id),
        ),
      ),
    )
    .orderBy('open_tasks')
    .orderBy(sql`(u.department_id = ${c.department_id})`, 'desc')
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirst();
  if (!picked) return undefined;
  return { ...picked, basis: assignmentBasis(picked, c.department_id, scope) };
}

/** Why this reviewer: the case's record keeps it beside who was assigned. */
function assignmentBasis(
  r: {
    department_id: string;
    department_name: string;
    open_tasks: string | null;
    first_time_reviewer: boolean;
    legal_qualification_number: string | null;
  },
  departmentId: string,
  scope: { system: string | null; citywide: boolean },
): string {
  const load = `在办任务 ${Number(r.open_tasks ?? 0)} 件，按在办任务最少指派`;
  const source =
    r.department_id === departmentId
      ? `本机关法制审核人员，${load}`
      : `借调自${r.department_name}（${
          scope.citywide ? '全市法制审核人才库，司法行政部门已开启全市调用' : `本系统（${scope.system}）法制审核人才库`
        }），${load}`;
  const qualification = r.legal_qualification_number
    ? `持法律职业资格（证书编号 ${r.legal_qualification_number}）`
    : '非初次从事法制审核';
  return `${source}；${qualification}；已排除承办人员及申报回避人员`;
}

/** Why no reviewer could be picked, in words the legal unit can act on. */
export function noReviewerMessage(system: string | null, citywide: boolean): string {
  const pool = citywide
    ? '全市法制审核人才库'
    : system
      ? `本系统（${system}）法制审核人才库`
      : '人才库（本机关未设定执法系统，且全市调用未开启）';
  return `没有可指派的法制审核人员：本机关及${pool}中没有符合回避要求、且初次从事法制审核者已取得法律职业资格的审核人员`;
}

export async function noReviewerError(db: Db, departmentId: string): Promise<AppError> {
  const scope = await poolScope(db, departmentId);
  return new AppError(409, 'NO_ELIGIBLE_REVIEWER', noReviewerMessage(scope.system, scope.citywide));
}

/**
 * A reviewer may sign an opinion on a case only if they may be assigned it: first-time reviewers hold the
 * qualification, and a reviewer of another department is in the pool and within its scope.
 */
export async function assertMayReview(db: Db, departmentId: string, userId: string): Promise<void> {
  const u = await db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('reviewer_pool as p', 'p.user_id', 'u.id')
    .select([
      'u.display_name',
      'u.department_id',
      'u.first_time_reviewer',
      'u.legal_qualification_number',
      'd.name as department_name',
      'd.enforcement_system',
      sql<boolean>`p.user_id is not null`.as('in_pool'),
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!u) throw new AppError(409, 'REVIEWER_OUT_OF_SYSTEM', '审核人员不存在');
  if (u.first_time_reviewer && !u.legal_qualification_number) {
    throw new AppError(
      409,
      'REVIEWER_UNQUALIFIED',
      `${u.display_name}初次从事法制审核，尚未登记法律职业资格，不能审核本案（行政处罚法第五十八条第二款）`,
    );
  }
  if (u.department_id === departmentId) return;
  const scope = await poolScope(db, departmentId);
  const sameSystem = scope.system !== null && u.enforcement_system === scope.system;
  if (!u.in_pool || !(scope.citywide || sameSystem)) {
    throw new AppError(
      409,
      'REVIEWER_OUT_OF_SYSTEM',
      `${u.display_name}（${u.department_name}）不属于本机关${scope.system ? `所在的${scope.system}` : ''}法制审核人才库，` +
        '人才库限于本系统内调用；全市调用须由司法行政部门开启',
    );
  }
}

export function isConflicted(trx: Transaction<DB>, caseId: string, userId: string) {
  return trx
    .selectFrom('case_conflicts')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
