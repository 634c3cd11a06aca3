import type { ColumnType, Generated, Selectable } from 'kysely';
import type { StageKind } from './kinds.js';

type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** The 90-day extension (法律、法规、规章另有规定的): how long, on which basis, approved by whom. */
export interface LimitExtension {
  days: number;
  basis: string;
  reason: string;
  approvedBy: string;
  approvedOn: string;
}

export interface CaseLifecyclesTable {
  case_id: string;
  /** 立案之日 (YYYY-MM-DD). */
  filed_on: ColumnType<string, string, string>;
  decision_due_on: ColumnType<string, string, string>;
  extension: NullableJson<LimitExtension>;
  reminded_at: Date | null;
  overdue_at: Date | null;
  archived_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface CaseStagesTable {
  id: Generated<string>;
  case_id: string;
  kind: StageKind;
  status: 'open' | 'closed';
  started_on: ColumnType<string, string, string>;
  ended_on: ColumnType<string | null, string | null | undefined, string | null>;
  details: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CaseStageEventsTable {
  id: Generated<string>;
  case_id: string;
  stage_id: string | null;
  type: string;
  occurred_on: ColumnType<string, string, string>;
  details: Json<Record<string, unknown>>;
  source: ColumnType<string, string | undefined, string>;
  external_id: string | null;
  actor_id: string | null;
  created_at: Generated<Date>;
}

export type FilePurpose = 'recording' | 'proof' | 'document' | 'other';

export interface CaseStageFilesTable {
  stage_id: string;
  attachment_id: string;
  purpose: FilePurpose;
  linked_by: string | null;
  linked_at: Generated<Date>;
}

export interface LifecycleTables {
  case_lifecycles: CaseLifecyclesTable;
  case_stages: CaseStagesTable;
  case_stage_events: CaseStageEventsTable;
  case_stage_files: CaseStageFilesTable;
}

export type LifecycleRow = Selectable<CaseLifecyclesTable>;
export type StageRow = Selectable<CaseStagesTable>;
