import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CatalogueDiff, FlowDiff } from './diff-types.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Json<T> = ColumnType<T, string, string>;

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'direct';

/**
 * A proposed deployment of a department's flow (and the catalogue it carries) and its outcome. `direct` rows are
 * deploys an operator made from the command line, kept so the history has every version.
 */
export interface DeploymentRequestsTable {
  id: Generated<string>;
  department_id: string;
  process_key: string;
  name: string;
  xml: string;
  sha256: string;
  /** The version that was the latest when the request was made (the diffs are against it); null for a first. */
  base_version: number | null;
  change_note: string;
  catalogue_diff: Json<CatalogueDiff>;
  flow_diff: Json<FlowDiff>;
  status: Generated<RequestStatus>;
  submitted_by: string | null;
  submitted_at: Generated<Date>;
  decided_by: Nullable<string>;
  decided_at: Nullable<Date>;
  reason: Nullable<string>;
  definition_id: Nullable<string>;
  version: Nullable<number>;
}

export interface GovernanceTables {
  deployment_requests: DeploymentRequestsTable;
}

export type DeploymentRequestRow = Selectable<DeploymentRequestsTable>;
