import { canonicalJson } from './canonical.js';
import { isHash, sm3, sm3Hex } from './sm3.js';

/** A file the record vouches for by its SM3: an issued document or an uploaded attachment. */
export interface RecordedFile {
  kind: 'document' | 'attachment';
  id: string;
  sm3: string;
}

/** An SM2 signature on a document, copied into the record with what is needed to check it offline. */
export interface RecordedSignature {
  documentId: string;
  signerId: string;
  keyId: string;
  publicKey: string;
  certificate: string;
  certificateSignature: string;
  message: string;
  signature: string;
  signedAt: string;
}

/** What a record says, as hashed (`v` is the format version of the body). */
export interface RecordBody {
  v: 1;
  caseId: string;
  seq: number;
  at: string;
  actorId: string | null;
  type: string;
  payload: Record<string, unknown>;
  files: RecordedFile[];
  signatures?: RecordedSignature[];
}

export type RecordEntry = Omit<RecordBody, 'v' | 'caseId' | 'seq' | 'files'> & { files?: RecordedFile[] };

/** The previous hash of a case's first record: binds the chain to its case, so no record can move between cases. */
export function genesisHash(caseId: string): string {
  return sm3Hex(`fashen-case-record:${caseId}`);
}

/** hash = SM3(prev ‖ body): the prev is the 32 bytes of the previous record's hash, the body its UTF-8 bytes. */
export function recordHash(prevHash: string, body: string): string {
  return sm3(Buffer.from(prevHash, 'hex'), body).toString('hex');
}

export function recordBody(caseId: string, seq: number, entry: RecordEntry): string {
  const body: RecordBody = {
    v: 1,
    caseId,
    seq,
    at: entry.at,
    actorId: entry.actorId,
    type: entry.type,
    // As PostgreSQL's jsonb and any reader would see it: no undefined, Dates as ISO strings.
    payload: JSON.parse(JSON.stringify(entry.payload ?? {})),
    files: entry.files ?? [],
    ...(entry.signatures?.length ? { signatures: entry.signatures } : {}),
  };
  return canonicalJson(body);
}

/** The files an event names: `documentId`/`attachmentId` with the `sm3` it was recorded under. */
export function filesOf(payload: Record<string, unknown>): RecordedFile[] {
  const out: RecordedFile[] = [];
  const sm3 = payload.sm3;
  if (typeof payload.documentId === 'string' && isHash(sm3)) {
    out.push({ kind: 'document', id: payload.documentId, sm3 });
  }
  if (typeof payload.attachmentId === 'string' && isHash(sm3)) {
    out.push({ kind: 'attachment', id: payload.attachmentId, sm3 });
  }
  return out;
}

/** A problem found when checking a chain, pinned to the record where the chain first breaks. */
export interface ChainProblem {
  seq: number | null;
  recordId: number | null;
  check: 'sequence' | 'link' | 'hash' | 'body' | 'file' | 'signature' | 'inclusion' | 'checkpoint' | 'tree';
  message: string;
  expected?: string;
  actual?: string;
}

export interface StoredRecord {
  id: number;
  case_id: string;
  seq: number;
  body: string;
  prev_hash: string;
  hash: string;
}

/**
 * Checks one case's chain in order: contiguous sequence from 1, each prev equal to the hash before it (the first
 * to the case's genesis), each hash equal to SM3(prev ‖ body), each body naming its case and place. Returns
 * every problem, the first being the first broken link.
 */
export function checkChain(
  caseId: string,
  records: StoredRecord[],
): { problems: ChainProblem[]; bodies: RecordBody[] } {
  const problems: ChainProblem[] = [];
  const bodies: RecordBody[] = [];
  let prev = genesisHash(caseId);
  records.forEach((r, i) => {
    const at = { seq: r.seq, recordId: r.id };
    if (r.seq !== i + 1) {
      problems.push({
        ...at,
        check: 'sequence',
        message:
          r.seq > i + 1 ? `第 ${i + 1} 条记录缺失（下一条为第 ${r.seq} 条）` : `第 ${r.seq} 条记录重复或顺序错乱`,
        expected: String(i + 1),
        actual: String(r.seq),
      });
    }
    if (r.prev_hash !== prev) {
      problems.push({
        ...at,
        check: 'link',
        message: `第 ${r.seq} 条记录的前序哈希与上一条记录不符`,
        expected: prev,
        actual: r.prev_hash,
      });
    }
    const computed = recordHash(r.prev_hash, r.body);
    if (computed !== r.hash) {
      problems.push({
        ...at,
        check: 'hash',
        message: `第 ${r.seq} 条记录的内容与其 SM3 哈希不符（内容被改动）`,
        expected: r.hash,
        actual: computed,
      });
    }
    let body: RecordBody | null = null;
    try {
      body = JSON.parse(r.body) as RecordBody;
    } catch {
      problems.push({ ...at, check: 'body', message: `第 ${r.seq} 条记录的内容不是合法的 JSON` });
    }
    if (body && (body.caseId !== caseId || body.seq !== r.seq)) {
      problems.push({
        ...at,
        check: 'body',
        message: `第 ${r.seq} 条记录的内容记载为案件 ${body.caseId} 第 ${body.seq} 条`,
        expected: `${caseId}#${r.seq}`,
        actual: `${body.caseId}#${body.seq}`,
      });
    }
    if (body) bodies.push(body);
    prev = r.hash;
  });
  return { problems, bodies };
}
