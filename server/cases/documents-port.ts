import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { DocumentKind } from '../documents/kinds.js';
import type { DocumentData } from './document-data.js';

export type { DocumentKind };

export interface CaseDocumentInfo {
  id: string;
  kind: DocumentKind;
  number: string;
  fileName: string;
  sm3: string;
  size: number;
  createdAt: Date;
  signedBy: string | null;
  signedAt: Date | null;
}

/** What the review needs of the documents capability: issue, sign and read the case's Word documents. */
export interface DocumentPort {
  issue(
    trx: Transaction<DB>,
    input: {
      departmentId: string;
      caseId: string;
      kind: DocumentKind;
      data: DocumentData;
      createdBy: string | null;
      at: Date;
    },
  ): Promise<{ id: string; number: string; sm3: string }>;
  sign(trx: Transaction<DB>, documentId: string, userId: string, at: Date): Promise<unknown>;
  numberOf(trx: Transaction<DB>, documentId: string): Promise<string | null>;
}

export interface DocumentReader {
  list(db: Kysely<DB>, caseId: string): Promise<CaseDocumentInfo[]>;
  get(
    db: Kysely<DB>,
    documentId: string,
  ): Promise<{ info: CaseDocumentInfo & { caseId: string | null }; content: Buffer } | null>;
}
