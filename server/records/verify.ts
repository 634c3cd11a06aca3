import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import type { CaseFiles } from './case-files.js';
import { type ChainProblem, checkChain, type RecordBody } from './chain.js';
import { inclusionRanges, leafHash, nodesFor, rangeHash, verifyInclusion } from './merkle.js';
import * as q from './queries.js';
import { checkSignature, type SignatureCheck } from './signatures.js';
import { sm3Hex } from './sm3.js';
import { type TrustedKeys, verifyBySystem } from './system-key.js';
import type { CheckpointRow } from './tables.js';
import { type CheckpointBody, checkpointView } from './tree.js';

export interface VerifyDeps {
  db: Kysely<DB>;
  trusted: TrustedKeys;
  files: Pick<CaseFiles, 'documentFilesByIds'>;
  /** SM3 of a stored attachment as it is now; given only when files are to be re-hashed. */
  hashAttachment?: (attachmentId: string) => Promise<string | null>;
  /** The store-wide pass rebuilds the tree itself and needs no per-record proofs. */
  skipInclusion?: boolean;
}

/** Is the checkpoint signed by a trusted key, and does what it signs match its columns? */
export function checkCheckpoint(c: CheckpointRow, trusted: TrustedKeys): ChainProblem | null {
  const at = { seq: null, recordId: null, check: 'checkpoint' as const };
  if (!verifyBySystem(trusted, c.key_id, c.body, c.signature)) {
    return {
      ...at,
      message: `树大小 ${c.tree_size} 的检查点签名无效或签名密钥不受信任`,
      expected: [...trusted.keys()].join(','),
      actual: c.key_id,
    };
  }
  const body = JSON.parse(c.body) as CheckpointBody;
  if (body.treeSize !== Number(c.tree_size) || body.root !== c.root) {
    return { ...at, message: `树大小 ${c.tree_size} 的检查点与其签名内容不符`, expected: body.root, actual: c.root };
  }
  return null;
}

/** Files and signatures a chain vouches for, checked against what is stored now. */
export async function checkFiles(deps: VerifyDeps, bodies: RecordBody[], recordIds: Map<number, number>) {
  const problems: ChainProblem[] = [];
  const signatures: SignatureCheck[] = [];
  const docIds = bodies.flatMap((b) => b.files.filter((f) => f.kind === 'document').map((f) => f.id));
  const docs = new Map(
    (await deps.files.documentFilesByIds(deps.db, [...new Set(docIds)])).map((d) => [d.id, sm3Hex(d.content)] as const),
  );
  for (const b of bodies) {
    const at = { seq: b.seq, recordId: recordIds.get(b.seq) ?? null };
    for (const f of b.files) {
      const actual =
        f.kind === 'document'
          ? (docs.get(f.id) ?? null)
          : deps.hashAttachment
            ? await deps.hashAttachment(f.id)
            : f.sm3;
      if (actual !== f.sm3) {
        const what = f.kind === 'document' ? '文书' : '附件';
        problems.push({
          ...at,
          check: 'file',
          message:
            actual === null
              ? `第 ${b.seq} 条记录所载${what} ${f.id} 已不存在`
              : `第 ${b.seq} 条记录所载${what} ${f.id} 的内容已被替换或改动（SM3 不符）`,
          expected: f.sm3,
          actual: actual ?? undefined,
        });
      }
    }
    for (const s of b.signatures ?? []) {
      const check = checkSignature(s, docs.get(s.documentId) ?? null, deps.trusted);
      signatures.push(check);
      if (!check.valid) problems.push({ ...at, check: 'signature', message: `第 ${b.seq} 条记录所载${check.label}` });
    }
  }
  return { problems, signatures };
}

/** Problems in chain order, the first broken link first; problems of no single record come last. */
export const bySeq = (a: { seq: number | null }, b: { seq: number | null }) =>
  (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER);

/**
 * Verifies one case's record: the chain, each sequenced record's inclusion in the latest signed checkpoint,
 * records the tree holds but the chain lost, the files the records name and the SM2 signatures they carry.
 */
export async function verifyCase(deps: VerifyDeps, caseId: string) {
  const [records, leaves, latest] = await Promise.all([
    q.recordsOfCase(deps.db, caseId),
    q.leavesOfCase(deps.db, caseId),
    q.latestCheckpoint(deps.db),
  ]);
  const chain = checkChain(caseId, records);
  const problems = [...chain.problems];
  const present = new Map(records.map((r) => [Number(r.id), r]));
  for (const l of leaves) {
    if (!present.has(Number(l.record_id))) {
      problems.push({
        seq: l.seq,
        recordId: Number(l.record_id),
        check: 'tree',
        message: `第 ${l.seq} 条记录已记入 Merkle 树（叶子 ${l.leaf_index}），但已不在案件记录中（被删除）`,
      });
    }
  }
  const checkpointProblem = latest && !deps.skipInclusion ? checkCheckpoint(latest, deps.trusted) : null;
  if (checkpointProblem) problems.push(checkpointProblem);
  const size = latest ? Number(latest.tree_size) : 0;
  const covered = records.filter((r) => r.leaf_index !== null && Number(r.leaf_index) < size);
  if (latest && !checkpointProblem && !deps.skipInclusion && covered.length) {
    const paths = covered.map((r) => inclusionRanges(Number(r.leaf_index), 0, size));
    const nodes = await q.nodesByIds(deps.db, nodesFor(paths.flat()));
    const root = Buffer.from(latest.root, 'hex');
    covered.forEach((r, i) => {
      let ok = false;
      try {
        const get = (id: { level: number; idx: number }) => {
          const h = nodes.get(`${id.level}:${id.idx}`);
          if (!h) throw new Error('missing node');
          return h;
        };
        const path = paths[i].map(([lo, hi]) => rangeHash(lo, hi, get));
        ok = verifyInclusion(Number(r.leaf_index), size, leafHash(Buffer.from(r.hash, 'hex')), path, root);
      } catch {
        ok = false;
      }
      if (!ok) {
        problems.push({
          seq: r.seq,
          recordId: Number(r.id),
          check: 'inclusion',
          message: `第 ${r.seq} 条记录无法由已签名检查点（树大小 ${size}）证明包含：记录或 Merkle 树在检查点之后被改写`,
          expected: latest.root,
        });
      }
    });
  }
  const files = await checkFiles(deps, chain.bodies, new Map(records.map((r) => [r.seq, Number(r.id)])));
  problems.push(...files.problems);
  problems.sort(bySeq);
  return {
    caseId,
    ok: problems.length === 0,
    records: records.length,
    sequenced: covered.length,
    checkpoint: latest ? checkpointView(latest) : null,
    firstProblem: problems[0] ?? null,
    problems: problems.slice(0, 100),
    signatures: files.signatures,
  };
}

export type CaseVerification = Awaited<ReturnType<typeof verifyCase>>;
