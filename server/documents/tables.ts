import type { Generated, Selectable } from 'kysely';
import type { DocumentKind } from './kinds.js';

export interface DocumentSequencesTable {
  department_id: string;
  kind: DocumentKind;
  year: number;
  last_number: number;
}

export interface DocumentTemplatesTable {
  /** Identity: the highest is the department's current template. */
  id: Generated<number>;
  department_id: string;
  kind: DocumentKind;
  /** NULL: the department went back to the standard template. */
  source: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface DocumentsTable {
  id: Generated<string>;
  department_id: string;
  case_id: string | null;
  kind: DocumentKind;
  number: string;
  year: number;
  file_name: string;
  content: Buffer;
  sm3: string;
  size: number;
  created_by: string | null;
  created_at: Generated<Date>;
  signed_by: string | null;
  signed_at: Date | null;
  signed_sm3: string | null;
}

export interface DocumentTables {
  document_sequences: DocumentSequencesTable;
  document_templates: DocumentTemplatesTable;
  documents: DocumentsTable;
}

export type DocumentRow = Selectable<DocumentsTable>;
