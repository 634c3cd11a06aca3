import type { ColumnType, Generated, Selectable } from 'kysely';

/** 投诉举报: a complaint from the public about an enforcement act or officer, routed to one agency. */
export interface ComplaintsTable {
  id: Generated<string>;
  /** 受理编号 the complainant looks it up by, with the query code or phone (never enough alone). */
  number: string;
  secret_hash: string;
  department_id: string;
  about: 'act' | 'officer';
  officer_name: string | null;
  certificate_number: string | null;
  occurred_on: string | null;
  content: string;
  /** Contact details: shown to the agency that handles it, masked for everyone else, never public. */
  complainant_name: string;
  phone: string;
  phone_hash: string;
  email: string | null;
  status: Generated<'received' | 'answered'>;
  working_days: number;
  due_at: Date;
  due_provisional: Generated<boolean>;
  overdue_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  answer: ColumnType<string | null, string | null | undefined, string | null>;
  answered_by: ColumnType<string | null, string | null | undefined, string | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Generated<Date>;
}

export interface ComplaintTables {
  complaints: ComplaintsTable;
}

export type ComplaintRow = Selectable<ComplaintsTable>;
