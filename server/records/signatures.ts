import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { findUserById } from '../identity/service.js';
import { canonicalJson } from './canonical.js';
import type { CaseFiles } from './case-files.js';
import type { Keystore } from './keystore.js';
import * as q from './queries.js';
import { generateSm2KeyPair, keyIdOf, sm2Sign, sm2Verify } from './sm2.js';
import { sm3Hex } from './sm3.js';
import { type SystemKey, type TrustedKeys, verifyBySystem } from './system-key.js';

type Db = Kysely<DB> | Transaction<DB>;

/** What signing needs from the process: the keystore that seals private keys and the key that certifies them. */
export interface DocumentSigner {
  keystore: Keystore;
  systemKey: SystemKey;
}

/** The binding of a user to their public key, signed by the system key (a minimal certificate). */
export interface KeyCertificate {
  v: 1;
  type: 'fashen.user-key-certificate';
  userId: string;
  username: string;
  displayName: string;
  departmentId: string;
  departmentName: string;
  publicKey: string;
  keyId: string;
  issuer: string;
  issuedAt: string;
}

/** What an SM2 document signature signs: the SM3 of the canonical content and of the .docx, and who and when. */
export interface SignedDocumentMessage {
  v: 1;
  type: 'fashen.document-signature';
  documentId: string;
  caseId: string | null;
  departmentId: string;
  kind: string;
  number: string;
  contentSm3: string;
  docxSm3: string;
  signerId: string;
  keyId: string;
  signedAt: string;
}

/** The user's current key pair, generated and certified on first use; the private key leaves only sealed. */
async function currentKey(trx: Transaction<DB>, signer: DocumentSigner, userId: string, at: Date) {
  const existing = await q.currentUserKey(trx, userId);
  if (existing) return existing;
  const user = await findUserById(trx, userId);
  if (!user) throw new Error(`签署人 ${userId} 不存在`);
  const pair = generateSm2KeyPair();
  const certificate: KeyCertificate = {
    v: 1,
    type: 'fashen.user-key-certificate',
    userId,
    username: user.username,
    displayName: user.display_name,
    departmentId: user.department_id,
    departmentName: user.department_name,
    publicKey: pair.publicKey,
    keyId: keyIdOf(pair.publicKey),
    issuer: signer.systemKey.keyId,
    issuedAt: at.toISOString(),
  };
  const text = canonicalJson(certificate);
  await q.insertUserKey(trx, {
    key_id: certificate.keyId,
    user_id: userId,
    public_key: pair.publicKey,
    sealed_private_key: signer.keystore.seal(pair.privateKey),
    certificate: text,
    certificate_signature: signer.systemKey.sign(text),
    created_at: at,
  });
  // Two first signatures at once: the unique index keeps one key; both read the one that was kept.
  const kept = await q.currentUserKey(trx, userId);
  if (!kept) throw new Error('签名密钥未能生成');
  return kept;
}

/** Signs a document with the signer's SM2 key and stores the signature (append-only) in the caller's transaction. */
export async function signDocumentSm2(
  trx: Transaction<DB>,
  signer: DocumentSigner,
  input: Omit<SignedDocumentMessage, 'v' | 'type' | 'keyId' | 'contentSm3'> & { content: unknown },
) {
  const key = await currentKey(trx, signer, input.signerId, new Date(input.signedAt));
  const privateKey = signer.keystore.open(key.sealed_private_key);
  const { content, ...rest } = input;
  const message: SignedDocumentMessage = {
    v: 1,
    type: 'fashen.document-signature',
    ...rest,
    contentSm3: sm3Hex(canonicalJson(content)),
    keyId: key.key_id,
  };
  const text = canonicalJson(message);
  const signature = sm2Sign(text, { privateKey, publicKey: key.public_key });
  await q.insertDocumentSignature(trx, {
    document_id: input.documentId,
    user_id: input.signerId,
    key_id: key.key_id,
    message: text,
    signature,
    signed_at: new Date(input.signedAt),
  });
  return { keyId: key.key_id, signature, message: text };
}

export interface SignatureCheck {
  documentId: string;
  signerId: string;
  keyId: string;
  signedAt: string;
  valid: boolean;
  /** 签名有效 / 签名无效：… */
  label: string;
  problem: string | null;
}

/**
 * Checks a signature afresh: the message names this document and the SM3 of its file as it is now, the SM2
 * signature holds under the signer's public key, and that key's certificate holds under a trusted system key.
 */
export function checkSignature(
  s: {
    documentId: string;
    signerId: string;
    keyId: string;
    publicKey: string;
    certificate: string;
    certificateSignature: string;
    message: string;
    signature: string;
    signedAt: string;
  },
  currentDocxSm3: string | null,
  trusted: TrustedKeys,
): SignatureCheck {
  const problem = (() => {
    let message: SignedDocumentMessage;
    let cert: KeyCertificate;
    try {
      message = JSON.parse(s.message);
      cert = JSON.parse(s.certificate);
    } catch {
      return '签名报文无法解析';
    }
    if (message.documentId !== s.documentId || message.signerId !== s.signerId) return '签名报文与文书或签署人不符';
    if (currentDocxSm3 === null) return '被签署的文书不存在';
    if (message.docxSm3 !== currentDocxSm3) return '文书内容与签署时不一致（SM3 不符）';
    if (!sm2Verify(s.message, s.signature, s.publicKey)) return 'SM2 签名值验证失败';
    if (cert.publicKey !== s.publicKey || cert.userId !== s.signerId || keyIdOf(s.publicKey) !== s.keyId) {
      return '签名证书与签名密钥不符';
    }
    if (!verifyBySystem(trusted, cert.issuer, s.certificate, s.certificateSignature))
      return '签名证书不是由受信任的系统密钥签发';
    return null;
  })();
  return {
    documentId: s.documentId,
    signerId: s.signerId,
    keyId: s.keyId,
    signedAt: s.signedAt,
    valid: problem === null,
    label: problem === null ? '签名有效' : `签名无效：${problem}`,
    problem,
  };
}

/** Fresh checks of every SM2 signature on a case's documents, against the files as stored now. */
export async function checkCaseSignatures(
  files: Pick<CaseFiles, 'documentFilesOfCase'>,
  db: Db,
  caseId: string,
  trusted: TrustedKeys,
): Promise<SignatureCheck[]> {
  const docs = await files.documentFilesOfCase(db, caseId);
  const current = new Map(docs.map((d) => [d.id, sm3Hex(d.content)]));
  const rows = await q.signaturesOfDocuments(
    db,
    docs.map((d) => d.id),
  );
  return rows.map((s) =>
    checkSignature(
      {
        documentId: s.document_id,
        signerId: s.user_id,
        keyId: s.key_id,
        publicKey: s.public_key,
        certificate: s.certificate,
        certificateSignature: s.certificate_signature,
        message: s.message,
        signature: s.signature,
        signedAt: s.signed_at.toISOString(),
      },
      current.get(s.document_id) ?? null,
      trusted,
    ),
  );
}
