import type { ColumnType, Generated } from 'kysely';
import type { Checklist, Deduction, Population } from './checklist.js';

type Json<T> = ColumnType<T, string, string>;

export interface EvaluationChecklistsTable {
  id: Generated<string>;
  title: string;
  items: Json<Checklist['items']>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface EvaluationRoundsTable {
  id: Generated<string>;
  title: string;
  year: number;
  seed: string;
  per_agency: number;
  evaluators_per_case: number;
  checklist: Json<Checklist>;
  population: Json<Population>;
  rectify_working_days: number;
  status: ColumnType<'scoring' | 'closed', 'scoring' | 'closed' | undefined, 'scoring' | 'closed'>;
  rectify_due_at: Date | null;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  closed_at: Date | null;
}

export interface EvaluationCasesTable {
  round_id: string;
  case_id: string;
  department_id: string;
  draw_order: number;
}

export interface EvaluationScoresTable {
  round_id: string;
  case_id: string;
  evaluator_id: string;
  /** numeric comes back as a string from pg */
  score: ColumnType<string | null, number | null | undefined, number | null>;
  deductions: ColumnType<Deduction[] | null, string | null | undefined, string | null>;
  comment: string | null;
  submitted_at: Date | null;
}

export interface EvaluationRectificationsTable {
  id: Generated<string>;
  round_id: string;
  department_id: string;
  answer: string;
  answered_by: string;
  answered_at: ColumnType<Date, Date | undefined, never>;
}

export interface EvaluationTables {
  evaluation_checklists: EvaluationChecklistsTable;
  evaluation_rounds: EvaluationRoundsTable;
  evaluation_cases: EvaluationCasesTable;
  evaluation_scores: EvaluationScoresTable;
  evaluation_rectifications: EvaluationRectificationsTable;
}
