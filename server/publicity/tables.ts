import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const DISCLOSURE_CATEGORIES = ['licensing', 'penalty', 'coercion', 'levy', 'inspection'] as const;
export type DisclosureCategory = (typeof DISCLOSURE_CATEGORIES)[number];
/**
 * `cancelled` (不予公开): the decision was changed, revoked, found unlawful or void by a 复议 or a court before it
 * was published, so it is never published as it stands and its publication deadline no longer runs.
 */
export type DisclosureStatus = 'pending' | 'published' | 'withdrawn' | 'expired' | 'cancelled';
export type PartyType = 'person' | 'organization';

/** What is published of a decision (公开内容): original and redacted versions have this shape. */
export interface DisclosureContent {
  title: string;
  party: string;
  /** An organisation's unified social credit code; empty for natural persons (never published). */
  partyCode: string;
  facts: string;
  legalBasis: string;
  decision: string;
}

/** One item the redaction found and masked, with where it was (field, offsets in the original). */
export interface RedactionFinding {
  field: keyof DisclosureContent;
  kind: string;
  start: number;
  end: number;
  replacement: string;
}

export interface DisclosureRulesTable {
  category: DisclosureCategory;
  deadline_working_days: number;
  reminder_working_days: number;
  retention_years_person: number;
  retention_years_organization: number;
}

export interface DisclosuresTable {
  id: Generated<string>;
  department_id: string;
  case_id: string | null;
  category: DisclosureCategory;
  decision_number: string;
  decision_date: ColumnType<string | Date, string, string>;
  party_type: PartyType;
  original: Json<DisclosureContent>;
  redacted: Json<DisclosureContent>;
  findings: Json<RedactionFinding[]>;
  status: Generated<DisclosureStatus>;
  due_at: Date;
  due_provisional: Generated<boolean>;
  reminded_at: Nullable<Date>;
  overdue_at: Nullable<Date>;
  published_at: Nullable<Date>;
  published_by: Nullable<string>;
  withdrawn_at: Nullable<Date>;
  withdrawn_by: Nullable<string>;
  withdrawal_reason: Nullable<string>;
  /** Set when a 复议 or 诉讼 outcome obliges a published decision's withdrawal (行政处罚法 art. 48(2)): by when, why. */
  withdraw_due_at: Nullable<Date>;
  withdraw_required_reason: Nullable<string>;
  /** A `cancelled` disclosure: when the outcome that keeps it from publication was recorded, and that outcome. */
  cancelled_at: Nullable<Date>;
  cancellation_reason: Nullable<string>;
  retention_until: ColumnType<string | Date | null, string | null | undefined, string | null>;
  search_text: Generated<string>;
  search_doc: ColumnType<string, string | undefined, string>;
  party_doc: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface DisclosureEventsTable {
  id: Generated<number>;
  disclosure_id: string;
  type: string;
  actor_id: string | null;
  payload: Json<Record<string, unknown>>;
  at: Generated<Date>;
}

/** A yearly statistics report (年度统计): the latest submitted snapshot and its publication. */
export interface AnnualReportsTable {
  department_id: string;
  year: number;
  /** The figures of the latest submission (a snapshot; see statistics.ts for the versions). */
  figures: Json<Record<string, unknown>>;
  /** The latest submission (报送); re-submission is allowed until the report is published. */
  submitted_at: Date;
  submitted_by: string;
  revision: ColumnType<number, number | undefined, number>;
  /** The first submission: whether the report reached the justice bureau by 15 January is judged on it. */
  first_submitted_at: Date;
  submitted_late: ColumnType<boolean, boolean | undefined, boolean>;
  published_at: Nullable<Date>;
  published_by: Nullable<string>;
  published_late: Nullable<boolean>;
}

/** Every submission of a report, in order (报送记录). */
export interface AnnualReportSubmissionsTable {
  department_id: string;
  year: number;
  revision: number;
  figures: Json<Record<string, unknown>>;
  submitted_at: Date;
  submitted_by: string;
  late: boolean;
}

export interface PublicityTables {
  disclosure_rules: DisclosureRulesTable;
  disclosures: DisclosuresTable;
  disclosure_events: DisclosureEventsTable;
  annual_reports: AnnualReportsTable;
  annual_report_submissions: AnnualReportSubmissionsTable;
}

export type DisclosureRow = Selectable<DisclosuresTable>;

/** A `date` column as the driver returns it (a string, or a Date at local midnight) as YYYY-MM-DD. */
export function isoDate(v: string | Date | null): string {
  if (v === null) return '';
  if (typeof v === 'string') return v.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
}
