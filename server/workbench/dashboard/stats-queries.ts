import type { Kysely, Transaction } from 'kysely';
import { poolMembersByDepartment } from '../../cases/reads.js';
import type { DB } from '../../database/schema.js';
import { documentAbbreviations } from '../../documents/reads.js';
import { reviewerCountsByDepartment } from '../../identity/directory.js';
import { type StaffingCheck, staffingCheck } from './stats.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface DepartmentStaffing extends StaffingCheck {
  departmentId: string;
  code: string;
  name: string;
  kind: 'agency' | 'justice_bureau';
  documentAbbr: string | null;
  byKind: { staff: number; legalAdviser: number; publicLawyer: number };
  /** The department's reviewers in the city's shared pool (人才库). */
  inPool: number;
}

/** Every department (or one) with its active reviewers counted by kind, checked against the 5% rule. */
export async function departmentStaffing(db: Db, departmentId?: string): Promise<DepartmentStaffing[]> {
  const [rows, pool, abbrs] = await Promise.all([
    reviewerCountsByDepartment(db, departmentId),
    poolMembersByDepartment(db, departmentId),
    documentAbbreviations(db, departmentId),
  ]);
  return rows.map((r) => ({
    ...staffingCheck(r.enforcement_staff_count, Number(r.reviewers)),
    departmentId: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    documentAbbr: abbrs.get(r.id) ?? null,
    byKind: { staff: Number(r.staff), legalAdviser: Number(r.legal_adviser), publicLawyer: Number(r.public_lawyer) },
    inPool: pool.get(r.id) ?? 0,
  }));
}
