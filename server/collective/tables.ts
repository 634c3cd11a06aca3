import type { Generated } from 'kysely';

/** 领导班子: the members of an agency's leadership a collective discussion (集体讨论) may convene. */
export interface DepartmentLeadersTable {
  department_id: string;
  user_id: string;
  /** 职务 as the minutes print it (局长、副局长 …). */
  position: string;
  /** Order on the list and in the minutes. */
  sort: number;
  /** The 正职负责人或者主持工作的负责人, who approves transfers of suspected crimes; at most one per agency. */
  presiding: Generated<boolean>;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface CollectiveTables {
  department_leaders: DepartmentLeadersTable;
}
