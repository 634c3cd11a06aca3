import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { type DocumentSigner, signDocumentSm2 } from '../records/signatures.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { type CommonFields, type DocumentData, type DocumentKind, formatDocumentNumber, KINDS } from './kinds.js';

export { formatDocumentNumber };

import * as q from './queries.js';
import { assertDocumentData, renderDocx } from './render.js';
import { sealForDocuments } from './seal/service.js';
import type { DocumentRow } from './tables.js';
import type { TemplateSource } from './template-source.js';

/** SM3 (GB/T 32905) of the bytes, as lowercase hex: the digest Chinese e-government records are checked with. */
export function sm3Hex(bytes: Uint8Array): string {
  return createHash('sm3').update(bytes).digest('hex');
}

export function documentFileName(kind: DocumentKind, number: string): string {
  return `${KINDS[kind].name}（${number}）.docx`;
}

export type IssueDocumentInput = DocumentData & {
  departmentId: string;
  caseId: string | null;
  createdBy: string | null;
  at: Date;
  /** The date the document bears (成文日期) and is numbered in, when it is not the day of `at`: a document
   * issued for a fact recorded after the event is dated with the event's own date. */
  issuedOn?: string;
};

export interface IssuedDocument {
  id: string;
  number: string;
  sm3: string;
  fileName: string;
  size: number;
}

/**
 * Issues a document inside the caller's transaction: numbers it (gap-free: a rollback returns the number),
 * renders it with the department's template and seal (if it has one) and stores the file with the SM3 digest
 * of exactly those bytes.
 */
export async function issueDocument(
  trx: Transaction<DB>,
  templates: TemplateSource,
  input: IssueDocumentInput,
): Promise<IssuedDocument> {
  const { kind, data } = input;
  assertDocumentData(kind, data);
  const department = await q.departmentForDocuments(trx, input.departmentId);
  if (!department) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
  const template = await templates.current(trx, input.departmentId, kind);
  const seal = await sealForDocuments(trx, input.departmentId);
  const issuedOn = input.issuedOn ?? instantToShanghaiDate(input.at);
  const year = Number(issuedOn.slice(0, 4));
  const abbr = department.document_abbr ?? department.code;
  // Numbered last, right before rendering: the sequence row stays locked until the caller commits.
  const n = await q.nextDocumentNumber(trx, input.departmentId, kind, year);
  const number = formatDocumentNumber(abbr, kind, year, n);
  const common: CommonFields = { number, year, department: { name: department.name, abbr }, issuedOn };
  const content = await renderDocx(templates, kind, template.source, common, data as never, { seal });
  const sm3 = sm3Hex(content);
  const fileName = documentFileName(kind, number);
  const { id } = await q.insertDocument(trx, {
    departmentId: input.departmentId,
    caseId: input.caseId,
    kind,
    number,
    year,
    fileName,
    content,
    sm3,
    createdBy: input.createdBy,
    createdAt: input.at,
  });
  return { id, number, sm3, fileName, size: content.length };
}

export interface SignedDocument {
  id: string;
  signedBy: string;
  signedAt: Date;
  signedSm3: string;
  /** The SM2 signature (GB/T 32918) over the canonical signing message, when a signer was given. */
  sm2?: { keyId: string; signature: string; message: string };
}

/**
 * Records who signed a document, when, and the SM3 of the bytes they signed, and signs it with the signer's SM2
 * key: the signature covers the SM3 of the canonical content (the caller's structured content, else the
 * document's identifying data) and the SM3 of the .docx. The bytes are hashed again, not trusted from the row:
 * a file that no longer matches its recorded digest is refused, not signed.
 */
export async function signDocument(
  trx: Transaction<DB>,
  documentId: string,
  userId: string,
  at: Date,
  sm2?: { signer: DocumentSigner; content?: unknown },
): Promise<SignedDocument> {
  const doc = await q.lockDocument(trx, documentId);
  if (!doc) throw new AppError(404, 'NOT_FOUND', '文书不存在');
  if (doc.signed_at) {
    throw new AppError(409, 'CONFLICT', `文书 ${doc.number} 已于 ${doc.signed_at.toISOString()} 签署，不能重复签署`, {
      signedBy: doc.signed_by,
      signedAt: doc.signed_at.toISOString(),
    });
  }
  const digest = sm3Hex(doc.content);
  if (digest !== doc.sm3) {
    throw new AppError(409, 'CONFLICT', `文书 ${doc.number} 的内容与登记的 SM3 摘要不一致，拒绝签署`, {
      recorded: doc.sm3,
      actual: digest,
    });
  }
  await q.markSigned(trx, documentId, userId, at, digest);
  const signature = sm2
    ? await signDocumentSm2(trx, sm2.signer, {
        documentId,
        caseId: doc.case_id,
        departmentId: doc.department_id,
        kind: doc.kind,
        number: doc.number,
        docxSm3: digest,
        signerId: userId,
        signedAt: at.toISOString(),
        content: sm2.content ?? {
          kind: doc.kind,
          number: doc.number,
          caseId: doc.case_id,
          departmentId: doc.department_id,
          fileName: doc.file_name,
          createdAt: doc.created_at.toISOString(),
          createdBy: doc.created_by,
        },
      })
    : null;
  return {
    id: documentId,
    signedBy: userId,
    signedAt: at,
    signedSm3: digest,
    ...(signature ? { sm2: signature } : {}),
  };
}

export type DocumentMeta = Omit<DocumentRow, 'content'>;

/** A document with its file, or undefined. Access control is the caller's (see routes.ts). */
export async function getDocument(
  db: Kysely<DB> | Transaction<DB>,
  id: string,
): Promise<(DocumentMeta & { content: Buffer }) | undefined> {
  return q.findDocument(db, id);
}

/** A case's documents in the order they were issued, without their files. */
export function listDocuments(db: Kysely<DB> | Transaction<DB>, caseId: string): Promise<DocumentMeta[]> {
  return q.documentsOfCase(db, caseId);
}
