import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type TransferStatus =
  | 'reported'
  | 'refused'
  | 'approved'
  | 'sent'
  | 'received'
  | 'filed'
  | 'declined'
  | 'review_requested'
  | 'review_declined'
  | 'handed_over'
  | 'returned'
  | 'supervision_requested'
  | 'supervision_upheld';

/** One item handed over with the case (涉案物品清单, 检验报告, 调查报告 …; 规定第六条). */
export interface HandedEvidence {
  name: string;
  quantity?: string;
  note?: string;
}

export interface CaseTransfersTable {
  id: Generated<string>;
  case_id: string;
  department_id: string;
  status: TransferStatus;
  police_organ: string;
  procuratorate: string;
  /** The 专案组 (at least two enforcement officers, 规定第五条第一款). */
  team_ids: Json<string[]>;
  reasons: string;
  evidence: Json<HandedEvidence[]>;
  reported_by: string;
  reported_at: Date;
  decided_by: Nullable<string>;
  decided_at: Nullable<Date>;
  decision_note: Nullable<string>;
  document_id: Nullable<string>;
  sent_at: Nullable<Date>;
  sent_by: Nullable<string>;
  delivery: Nullable<string>;
  received_at: Nullable<Date>;
  receiver: Nullable<string>;
  police_decision: Nullable<'filed' | 'declined'>;
  police_notice_at: Nullable<Date>;
  police_reasons: Nullable<string>;
  review_requested_at: Nullable<Date>;
  review_reasons: Nullable<string>;
  review_result: Nullable<'filed' | 'declined'>;
  review_notice_at: Nullable<Date>;
  review_note: Nullable<string>;
  /** 第七条: the organ that received the case forwarded it to the competent one (police_organ is then that one). */
  forwarded_from: Nullable<string>;
  forwarded_at: Nullable<Date>;
  /** 建议人民检察院依法进行立案监督 (第九条) and the procuratorate's outcome as the agency was told (最高检规定 十一). */
  supervision_requested_at: Nullable<Date>;
  supervision_reasons: Nullable<string>;
  supervision_result: Nullable<'filed' | 'upheld'>;
  supervision_notice_at: Nullable<Date>;
  supervision_note: Nullable<string>;
  handed_over_at: Nullable<Date>;
  handover_note: Nullable<string>;
  returned_at: Nullable<Date>;
  returned_by: Nullable<string>;
  return_reason: Nullable<string>;
  /** The time limit running now (a key of TIME_LIMITS), its due time, and whether it was reminded or missed. */
  step: Nullable<string>;
  step_due_at: Nullable<Date>;
  reminded_at: Nullable<Date>;
  overdue_at: Nullable<Date>;
  /** Every time limit this transfer missed, kept after the step is done. */
  overdue_steps: ColumnType<string[], string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TransferTables {
  case_transfers: CaseTransfersTable;
}

export type TransferRow = Selectable<CaseTransfersTable>;
