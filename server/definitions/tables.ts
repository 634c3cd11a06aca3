import type { Generated, Selectable } from 'kysely';

export interface WorkflowDefinitionsTable {
  id: Generated<string>;
  department_id: string;
  process_key: string;
  version: number;
  name: string;
  xml: string;
  sha256: string;
  deployed_by: string | null;
  deployed_at: Generated<Date>;
  change_note: string | null;
}

export interface DefinitionTables {
  workflow_definitions: WorkflowDefinitionsTable;
}

export type DefinitionRow = Selectable<WorkflowDefinitionsTable>;
