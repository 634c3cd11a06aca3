import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { Role } from './roles.js';
import type { UsersTable } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A date column as YYYY-MM-DD text, so no driver turns it into an instant. */
const date = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

export interface UserFilter {
  departmentId?: string;
  role?: Role;
  active?: boolean;
  /** Username or display name contains this. */
  q?: string;
  limit: number;
  offset: number;
}

/** One page of users as the administrator's list shows them, by department code then username. */
export function searchUsers(db: Db, f: UserFilter) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.reviewer_kind',
      'u.position',
      'u.certificate_number',
      'u.active',
      'd.name as department_name',
      'n.name as unit_name',
    ]);
  if (f.departmentId) query = query.where('u.department_id', '=', f.departmentId);
  if (f.role) query = query.where(sql<boolean>`${f.role} = ANY(u.roles)`);
  if (f.active !== undefined) query = query.where('u.active', '=', f.active);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  return query.orderBy('d.code').orderBy('u.username').limit(f.limit).offset(f.offset).execute();
}

/** A user as the edit form shows it, certificate dates as YYYY-MM-DD. */
export function userForEdit(db: Db, id: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.reviewer_kind',
      'u.position',
      'u.department_id',
      'u.unit_id',
      'u.certificate_number',
      'u.certificate_domain',
      date('u.certificate_valid_from').as('certificate_valid_from'),
      date('u.certificate_valid_until').as('certificate_valid_until'),
      'u.legal_qualification_number',
      date('u.legal_qualification_date').as('legal_qualification_date'),
      'u.first_time_reviewer',
      'u.active',
      'u.created_at',
      'd.name as department_name',
    ])
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export interface CertificateInput {
  number: string;
  domain: string;
  validFrom: string;
  validUntil: string;
}

export interface UserProfile {
  displayName: string;
  roles: Role[];
  reviewerKind: UsersTable['reviewer_kind'];
  position: string | null;
  certificate: CertificateInput | null;
  /** 法律职业资格 and whether the reviewer is new to legal review (行政处罚法 第五十八条第二款). */
  legalQualification?: { number: string; date: string } | null;
  firstTimeReviewer?: boolean;
}

/** Roles, name, reviewer kind and certificate as an administrator edits them. */
export function updateUserProfile(db: Db, id: string, v: UserProfile) {
  return db
    .updateTable('users')
    .set({
      display_name: v.displayName,
      roles: v.roles,
      reviewer_kind: v.reviewerKind,
      position: v.position,
      certificate_number: v.certificate?.number ?? null,
      certificate_domain: v.certificate?.domain ?? null,
      certificate_valid_from: v.certificate?.validFrom ?? null,
      certificate_valid_until: v.certificate?.validUntil ?? null,
      ...(v.legalQualification !== undefined && {
        legal_qualification_number: v.legalQualification?.number ?? null,
        legal_qualification_date: v.legalQualification?.date ?? null,
      }),
      ...(v.firstTimeReviewer !== undefined && { first_time_reviewer: v.firstTimeReviewer }),
    })
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Ends every session of a user (deactivation, password reset): they must sign in again. */
export function revokeUserSessions(db: Db, userId: string, at: Date) {
  return db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function countActiveUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<string>`count(*)`.as('n'))
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A registered enforcement certificate with its holder's name, activity and department — by the certificate
 * number (full-width characters folded (NFKC), whitespace and case ignored; `number` already in that form) or
 * by the holder. When two users carry the same number, an active holder and then the latest validity win.
 */
export function findCertificate(db: Db, by: { number: string } | { userId: string }) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      'u.display_name as holder_name',
      'u.certificate_number as number',
      'u.certificate_domain as domain',
      date('u.certificate_valid_from').as('valid_from'),
      date('u.certificate_valid_until').as('valid_until'),
      'u.active',
      'd.id as department_id',
      'd.name as department_name',
      'd.kind as department_kind',
    ])
    .where('u.certificate_number', 'is not', null)
    .where('u.certificate_number', '!=', '');
  query =
    'userId' in by
      ? query.where('u.id', '=', by.userId)
      : query.where(
          sql<string>`upper(regexp_replace(normalize(u.certificate_number, NFKC), '\\s', '', 'g'))`,
          '=',
          by.number,
        );
  return query
    .orderBy('u.active', 'desc')
    .orderBy('u.certificate_valid_until', (ob) => ob.desc().nullsLast())
    .orderBy('u.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A department's active certificate holders for the public portal: name, number and domain, nothing more. */
export function certificateHolders(db: Db, departmentId: string) {
  return db
    .selectFrom('users')
    .select(['display_name as name', 'certificate_number as certificateNumber', 'certificate_domain as domain'])
    .where('department_id', '=', departmentId)
    .where('active', '=', true)
    .where('certificate_number', 'is not', null)
    .orderBy('certificate_number')
    .execute();
}
