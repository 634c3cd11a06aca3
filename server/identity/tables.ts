import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Role } from './roles.js';

export interface DepartmentsTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: 'agency' | 'justice_bureau';
  enforcement_staff_count: number;
  /** 机关代字 its documents are numbered with (市监法审〔2026〕12号); null = the code. */
  document_abbr: ColumnType<string | null, string | null | undefined, string | null>;
  /** 执法系统 (市场监管系统 …): the shared reviewer pool lends within one system unless opened city-wide. */
  enforcement_system: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  department_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  certificate_number: string | null;
  certificate_domain: string | null;
  certificate_valid_from: ColumnType<string | null, string | null | undefined, string | null>;
  certificate_valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  reviewer_kind: 'staff' | 'legal_adviser' | 'public_lawyer' | null;
  /** 职务 (局长、副局长、法规科科长 …), as documents sign it; null when not set. */
  position: ColumnType<string | null, string | null | undefined, string | null>;
  /** The internal unit (内设机构) of the department the user works in; null when not assigned. */
  unit_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 法律职业资格证书编号 and the date it was obtained (行政处罚法 第五十八条第二款). */
  legal_qualification_number: ColumnType<string | null, string | null | undefined, string | null>;
  legal_qualification_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** 初次从事法制审核: such a reviewer must hold the qualification before any case is given to them. */
  first_time_reviewer: ColumnType<boolean, boolean | undefined, boolean>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

/** 内设机构 kinds: 承办机构 handles cases, 法制审核机构 reviews them. */
export const UNIT_KINDS = ['handling', 'legal_review', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  handling: '承办机构',
  legal_review: '法制审核机构',
  other: '其他',
};

/** An internal unit of a department (执法稽查局、法规科 …). */
export interface UnitsTable {
  id: Generated<string>;
  department_id: string;
  name: string;
  kind: UnitKind;
  /** 负责人 of the unit; null when not set. */
  head_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Failed logins per `user:<name>` and `ip:<address>`, until `expires_at`. */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  expires_at: Date;
}

export interface IdentityTables {
  departments: DepartmentsTable;
  users: UsersTable;
  units: UnitsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
}

export type DepartmentRow = Selectable<DepartmentsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UnitRow = Selectable<UnitsTable>;
