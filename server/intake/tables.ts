import type { Generated, Selectable } from 'kysely';

/** An agency's own case-handling system, acting through its service account (user_id) for its department. */
export interface IntakeSystemsTable {
  id: Generated<string>;
  department_id: string;
  code: string;
  name: string;
  user_id: string;
  created_by: string;
  created_at: Generated<Date>;
}

/** An API key of a system: only its SHA-256 is stored; the key itself is shown once when issued. */
export interface IntakeKeysTable {
  id: Generated<string>;
  system_id: string;
  key_hash: string;
  prefix: string;
  created_by: string;
  created_at: Generated<Date>;
  revoked_by: string | null;
  revoked_at: Date | null;
}

/** Which Fashen case a system's external case id is (one each way). */
export interface IntakeCasesTable {
  system_id: string;
  external_id: string;
  case_id: string;
  created_at: Generated<Date>;
}

export interface IntakeTables {
  intake_systems: IntakeSystemsTable;
  intake_keys: IntakeKeysTable;
  intake_cases: IntakeCasesTable;
}

export type IntakeSystemRow = Selectable<IntakeSystemsTable>;
