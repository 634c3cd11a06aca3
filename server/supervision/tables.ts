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
  /** 监督依据: what the justice bureau supervises under (根据…开展了行政执法监督). */
  supervision_basis: string | null;
  /** 违反的规定: the rules the agency's conduct breached (不符合…的规定). */
  breached_rules: string | null;
  /**
   * Derived (a generated column) for the data-element export's single 依据: the opinion's supervision_basis, the
   * correction notice's breached_rules, as each document printed its one 依据 before the two were separated.
   */
  legal_basis: ColumnType<string | null, never, never>;
  working_days: number;
  due_at: Date;
  due_provisional: Generated<boolean>;
  /** open → answered → accepted (办结), or answered → returned (退回) → answered again. */
  status: Generated<SupervisionStatus>;
  overdue_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  document_id: ColumnType<string | null, string | null | undefined, string | null>;
  answer: ColumnType<string | null, string | null | undefined, string | null>;
  answered_by: ColumnType<string | null, string | null | undefined, string | null>;
  answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The supervision_files of the latest answer. */
  answer_document_ids: Json<string[]>;
  accepted_by: ColumnType<string | null, string | null | undefined, string | null>;
  accepted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  returned_count: Generated<number>;
  created_at: Generated<Date>;
}

export type SupervisionStatus = 'open' | 'answered' | 'returned' | 'accepted';

/** Each answer the agency gave, with its files and the supervisor's verdict on it. */
export interface SupervisionAnswersTable {
  id: Generated<string>;
  item_id: string;
  round: number;
  answer: string;
  file_ids: Json<string[]>;
  answered_by: string;
  answered_at: Date;
  verdict: ColumnType<
    'accepted' | 'returned' | null,
    'accepted' | 'returned' | null | undefined,
    'accepted' | 'returned' | null
  >;
  verdict_note: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_by: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
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
  supervision_answers: SupervisionAnswersTable;
}

export type SupervisionItemRow = Selectable<SupervisionItemsTable>;
export type SupervisionAnswerRow = Selectable<SupervisionAnswersTable>;
