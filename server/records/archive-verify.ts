import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { ARCHIVE_FORMAT } from './archive.js';
import { type ChainProblem, checkChain, type StoredRecord } from './chain.js';
import { leafHash, verifyInclusion } from './merkle.js';
import { checkSignature, type SignatureCheck } from './signatures.js';
import { type TrustedKeys, trustedKeys, verifyBySystem } from './system-key.js';
import type { CheckpointBody } from './tree.js';
import { bySeq } from './verify.js';

const SMALL_ENTRY_LIMIT = 64 * 1024 * 1024;

/**
 * What an archive may declare before a byte of it is inflated. An exported archive holds an index, the
 * documents, the record and the attachments (mostly compressed already); a zip bomb declares gigabytes
 * behind a few kilobytes. yauzl's validateEntrySizes then holds each entry to what it declared.
 */
export interface ArchiveLimits {
  maxEntries: number;
  /** Sum of the entries' declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Largest uncompressed / compressed size of an entry over `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 64 * 1024 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

interface Entries {
  text: Map<string, string>;
  /** SM3 of every file entry, hashed as it streams (attachments may be gigabytes). */
  sm3: Map<string, string>;
}

/** Reads the central directory only, refusing what would inflate beyond the limits. */
async function directory(zip: yauzl.ZipFile, limits: ArchiveLimits): Promise<yauzl.Entry[]> {
  if (zip.entryCount > limits.maxEntries)
    throw new Error(`条目过多（${zip.entryCount} 个，上限 ${limits.maxEntries}）`);
  const entries: yauzl.Entry[] = [];
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) throw new Error(`解压后总大小超过 ${limits.maxTotalBytes} 字节上限`);
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
      throw new Error(
        `${entry.fileName} 的压缩比异常（${Math.round(ratio)} 倍，上限 ${limits.maxRatio} 倍），疑为压缩炸弹`,
      );
    }
    entries.push(entry);
  }
  return entries;
}

async function readEntries(file: string, limits: ArchiveLimits): Promise<Entries> {
  const zip = await yauzl.openPromise(file, {
    lazyEntries: true,
    autoClose: false,
    validateEntrySizes: true,
    strictFileNames: true,
  });
  const text = new Map<string, string>();
  const sm3 = new Map<string, string>();
  try {
    for (const entry of await directory(zip, limits)) {
      if (entry.fileName.endsWith('/')) continue;
      if (sm3.has(entry.fileName)) throw new Error(`归档包中 ${entry.fileName} 出现两次`);
      const stream = await zip.openReadStreamPromise(entry);
      const h = createHash('sm3');
      const keep = !entry.fileName.includes('/') && entry.uncompressedSize <= SMALL_ENTRY_LIMIT;
      const chunks: Buffer[] = [];
      for await (const c of stream as AsyncIterable<Buffer>) {
        h.update(c);
        if (keep) chunks.push(c);
      }
      sm3.set(entry.fileName, h.digest('hex'));
      if (keep) text.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
    }
  } finally {
    zip.close();
  }
  return { text, sm3 };
}

export interface ArchiveVerification {
  ok: boolean;
  caseId: string | null;
  caseNumber: string | null;
  records: number;
  proven: number;
  checkpoint: { treeSize: number; root: string; keyId: string } | null;
  /** 'configured': the checkpoint key was given from outside; 'bundled': only the archive's own key was used. */
  keySource: 'configured' | 'bundled';
  signatures: SignatureCheck[];
  problems: (ChainProblem | { seq: null; recordId: null; check: 'archive'; message: string })[];
}

/**
 * Verifies an exported case archive offline, with nothing but the zip and (ideally) the system public key
 * published by the service: chain, inclusion proofs, checkpoint signature, every file's SM3, every SM2 signature.
 */
export async function verifyArchive(
  file: string,
  trustedPublicKeys?: string[],
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<ArchiveVerification> {
  const problems: ArchiveVerification['problems'] = [];
  const archive = (message: string) => problems.push({ seq: null, recordId: null, check: 'archive', message });
  let entries: Entries;
  try {
    entries = await readEntries(file, limits);
  } catch (err) {
    archive(`无法读取归档包：${(err as Error).message}`);
    return empty(problems, trustedPublicKeys);
  }
  const parse = <T>(name: string): T | null => {
    const t = entries.text.get(name);
    if (t === undefined) {
      archive(`归档包缺少 ${name}`);
      return null;
    }
    try {
      return JSON.parse(t) as T;
    } catch {
      archive(`${name} 不是合法的 JSON`);
      return null;
    }
  };
  const index = parse<{
    format: string;
    case: { id: string; caseNumber: string };
    documents: { id: string; path: string; sm3: string }[];
    attachments: { id: string; path: string; sm3: string }[];
    systemKey: { publicKey: string };
  }>('index.json');
  const proofs =
    parse<{ seq: number; leafIndex: number; treeSize: number; auditPath: string[] }[]>('proofs.json') ?? [];
  const checkpoint = parse<{ treeSize: number; root: string; keyId: string; body: string; signature: string } | null>(
    'checkpoint.json',
  );
  if (!index) return empty(problems, trustedPublicKeys);
  if (index.format !== ARCHIVE_FORMAT) archive(`不支持的归档格式 ${index.format}`);
  const keySource = trustedPublicKeys?.length ? 'configured' : 'bundled';
  const trusted: TrustedKeys = trustedKeys(
    { publicKey: trustedPublicKeys?.[0] ?? index.systemKey.publicKey },
    trustedPublicKeys?.slice(1),
  );

  const records: StoredRecord[] = (entries.text.get('record.jsonl') ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line);
      return { id: r.recordId, case_id: index.case.id, seq: r.seq, body: r.body, prev_hash: r.prevHash, hash: r.hash };
    });
  const chain = checkChain(index.case.id, records);
  problems.push(...chain.problems);

  let proven = 0;
  if (checkpoint) {
    const body = JSON.parse(checkpoint.body) as CheckpointBody;
    if (!verifyBySystem(trusted, checkpoint.keyId, checkpoint.body, checkpoint.signature)) {
      problems.push({
        seq: null,
        recordId: null,
        check: 'checkpoint',
        message: '检查点的 SM2 签名无效或不是受信任的系统密钥签发',
      });
    } else if (body.treeSize !== checkpoint.treeSize || body.root !== checkpoint.root) {
      problems.push({ seq: null, recordId: null, check: 'checkpoint', message: '检查点与其签名内容不符' });
    }
    const hashOf = new Map(records.map((r) => [r.seq, r.hash]));
    for (const p of proofs) {
      const hash = hashOf.get(p.seq);
      const ok =
        !!hash &&
        p.treeSize === checkpoint.treeSize &&
        verifyInclusion(
          p.leafIndex,
          p.treeSize,
          leafHash(Buffer.from(hash, 'hex')),
          p.auditPath.map((h) => Buffer.from(h, 'hex')),
          Buffer.from(checkpoint.root, 'hex'),
        );
      if (ok) proven += 1;
      else {
        problems.push({
          seq: p.seq,
          recordId: null,
          check: 'inclusion',
          message: `第 ${p.seq} 条记录不能由检查点（树大小 ${p.treeSize}）证明包含`,
        });
      }
    }
  }

  const fileSm3 = (kind: 'document' | 'attachment', id: string, sm3: string) =>
    entries.sm3.get(kind === 'document' ? `documents/${id}.docx` : `attachments/${sm3}`) ?? null;
  const signatures: SignatureCheck[] = [];
  for (const b of chain.bodies) {
    for (const f of b.files) {
      const actual = fileSm3(f.kind, f.id, f.sm3);
      if (actual !== f.sm3) {
        problems.push({
          seq: b.seq,
          recordId: null,
          check: 'file',
          message:
            actual === null
              ? `第 ${b.seq} 条记录所载文件 ${f.id} 不在归档包中`
              : `第 ${b.seq} 条记录所载文件 ${f.id} 已被替换或改动`,
          expected: f.sm3,
          actual: actual ?? undefined,
        });
      }
    }
    for (const s of b.signatures ?? []) {
      const check = checkSignature(s, entries.sm3.get(`documents/${s.documentId}.docx`) ?? null, trusted);
      signatures.push(check);
      if (!check.valid)
        problems.push({
          seq: b.seq,
          recordId: null,
          check: 'signature',
          message: `第 ${b.seq} 条记录所载${check.label}`,
        });
    }
  }
  for (const f of [...index.documents, ...index.attachments]) {
    if (entries.sm3.get(f.path) !== f.sm3) archive(`index.json 所列 ${f.path} 缺失或与其 SM3 不符`);
  }
  const known = new Set([
    'README.txt',
    'index.json',
    'record.jsonl',
    'proofs.json',
    'checkpoint.json',
    ...index.documents.map((d) => d.path),
    ...index.attachments.map((a) => a.path),
  ]);
  for (const name of entries.sm3.keys()) if (!known.has(name)) archive(`归档包中有清单之外的文件 ${name}`);
  problems.sort(bySeq);
  return {
    ok: problems.length === 0,
    caseId: index.case.id,
    caseNumber: index.case.caseNumber,
    records: records.length,
    proven,
    checkpoint: checkpoint ? { treeSize: checkpoint.treeSize, root: checkpoint.root, keyId: checkpoint.keyId } : null,
    keySource,
    signatures,
    problems,
  };
}

function empty(problems: ArchiveVerification['problems'], keys?: string[]): ArchiveVerification {
  return {
    ok: false,
    caseId: null,
    caseNumber: null,
    records: 0,
    proven: 0,
    checkpoint: null,
    keySource: keys?.length ? 'configured' : 'bundled',
    signatures: [],
    problems,
  };
}
