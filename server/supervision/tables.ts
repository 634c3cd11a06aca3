import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string | undefined, string>;

/** 监督意见 (opinion) or 纠正通知 (correction) from the justice bureau to an agency, about a case or its work. */
export interface SupervisionItemsTable {
  id: Generated<string>;
  kind: 'opinion' | 'correction';
  issuer_department_id: string;
  issued_by: string;
  /** The agency that has to answer. */
  department_id: string;
  case_id: string | null;
  subject: string;
  findings: string;
  requirements: string;
  legal_basis: string | null;
  working_days: number;
  due_at: Date;
  due_provisional: Generated<boolean>;
  status: Generated<'open' | 'answered'>;
  overdue_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  document_id: ColumnType<string | null, string | null | undefined, string | null>;
  answer: ColumnType<string | null, string | null | undefined, string | null>;
  answered_by: ColumnType<string | null, string | null | undefined, string | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  answer_document_ids: Json<string[]>;
  created_at: Generated<Date>;
}

/** The agency's files with its answer, kept in the evidence storage under their SM3. */
export interface SupervisionFilesTable {
  id: Generated<string>;
  item_id: string;
  file_name: string;
  media_type: string;
  size: ColumnType<number, number, number>;
  sm3: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
}

export interface SupervisionTables {
  supervision_items: SupervisionItemsTable;
  supervision_files: SupervisionFilesTable;
}

export type SupervisionItemRow = Selectable<SupervisionItemsTable>;
