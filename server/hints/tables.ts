import type { Generated } from 'kysely';

export type HintMarkStatus = 'handled' | 'not_applicable';

/** A reviewer's mark of one hint of a case, by the hint's stable key. */
export interface CaseHintMarksTable {
  case_id: string;
  key: string;
  status: HintMarkStatus;
  note: string;
  marked_by: string;
  marked_at: Generated<Date>;
}

export interface HintTables {
  case_hint_marks: CaseHintMarksTable;
}
