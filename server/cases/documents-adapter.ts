import {
  getDocument,
  type IssueDocumentInput,
  issueDocument,
  listDocuments,
  signDocument,
} from '../documents/service.js';
import type { DocumentRow } from '../documents/tables.js';
import type { TemplateSource } from '../documents/template-source.js';
import type { DocumentSigner } from '../records/signatures.js';
import type { CaseDocumentInfo, DocumentPort, DocumentReader } from './documents-port.js';

const info = (d: Omit<DocumentRow, 'content'>): CaseDocumentInfo => ({
  id: d.id,
  kind: d.kind,
  number: d.number,
  fileName: d.file_name,
  sm3: d.sm3,
  size: Number(d.size),
  createdAt: d.created_at,
  signedBy: d.signed_by,
  signedAt: d.signed_at,
});

/** The review's view of the documents capability, bound to the process's template source and SM2 signer. */
export function caseDocuments(templates: TemplateSource, signer: DocumentSigner): DocumentPort & DocumentReader {
  return {
    issue: (trx, input) =>
      issueDocument(trx, templates, {
        kind: input.kind,
        data: input.data,
        departmentId: input.departmentId,
        caseId: input.caseId,
        createdBy: input.createdBy,
        at: input.at,
      } as IssueDocumentInput),
    sign: (trx, documentId, userId, at) => signDocument(trx, documentId, userId, at, { signer }),
    numberOf: async (trx, documentId) => (await getDocument(trx, documentId))?.number ?? null,
    list: async (db, caseId) => (await listDocuments(db, caseId)).map(info),
    get: async (db, documentId) => {
      const d = await getDocument(db, documentId);
      return d ? { info: { ...info(d), caseId: d.case_id }, content: d.content } : null;
    },
  };
}
