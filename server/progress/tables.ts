import type { ColumnType, Generated } from 'kysely';

export type Rating = 'satisfied' | 'basically_satisfied' | 'dissatisfied';

/** 满意度: a party's answer to the one-question survey shown with its progress query; one per case, latest wins. */
export interface SatisfactionResponsesTable {
  id: Generated<string>;
  case_id: string;
  department_id: string;
  rating: Rating;
  comment: ColumnType<string, string | undefined, string>;
  answered_at: Date;
  created_at: Generated<Date>;
}

export interface ProgressTables {
  satisfaction_responses: SatisfactionResponsesTable;
}
