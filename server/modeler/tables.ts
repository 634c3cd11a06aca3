import type { Generated } from 'kysely';

export interface WorkflowDraftsTable {
  department_id: string;
  process_key: string;
  xml: string;
  /** The deployed version the draft was started from; null for a process not deployed yet. */
  base_version: number | null;
  /** Counts saves, so that a save made over someone else's newer save is refused rather than lost. */
  revision: number;
  saved_by: string;
  saved_at: Generated<Date>;
}

export interface WorkflowDiagramsTable {
  definition_id: string;
  svg: string;
  rendered_at: Generated<Date>;
}

export interface ModelerTables {
  workflow_drafts: WorkflowDraftsTable;
  workflow_diagrams: WorkflowDiagramsTable;
}
