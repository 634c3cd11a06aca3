import { sql } from 'kysely';
import { type ChainProblem, checkChain, type StoredRecord } from './chain.js';
import { CompactTree, leafHash } from './merkle.js';
import { checkCheckpoint, checkFiles, type VerifyDeps } from './verify.js';

export type StoreProblem = ChainProblem & { caseId: string | null };

const PAGE = 5_000;

/**
 * Verifies the whole store, as `fashen verify` does: every case chain (with its files and signatures), read in
 * pages in chain order, then the global tree rebuilt leaf by leaf from the records themselves and compared with
 * every signed checkpoint. A superuser who rewrites records and recomputes every hash, leaf and node is still
 * caught here: the rebuilt roots no longer match the roots the system key signed (and published).
 */
export async function verifyStore(deps: VerifyDeps, onProgress?: (msg: string) => void) {
  const started = Date.now();
  const problems: StoreProblem[] = [];
  let records = 0;
  let cases = 0;
  let signatures = 0;
  let pending: StoredRecord[] = [];
  const finishCase = async () => {
    if (pending.length === 0) return;
    const caseId = pending[0].case_id;
    const chain = checkChain(caseId, pending);
    const files = await checkFiles(deps, chain.bodies, new Map(pending.map((r) => [r.seq, r.id])));
    problems.push(...[...chain.problems, ...files.problems].map((p) => ({ ...p, caseId })));
    signatures += files.signatures.length;
    records += pending.length;
    cases += 1;
    pending = [];
  };
  for (let after: { caseId: string; seq: number } | null = null; ; ) {
    let q = deps.db
      .selectFrom('case_records')
      .select(['id', 'case_id', 'seq', 'body', 'prev_hash', 'hash'])
      .orderBy('case_id')
      .orderBy('seq')
      .limit(PAGE);
    if (after) {
      const { caseId, seq } = after;
      q = q.where(sql<boolean>`(case_id, seq) > (${caseId}::uuid, ${seq})`);
    }
    const page = await q.execute();
    for (const r of page) {
      if (pending.length && pending[0].case_id !== r.case_id) await finishCase();
      pending.push({ ...r, id: Number(r.id) });
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { caseId: last.case_id, seq: last.seq };
    onProgress?.(`${records} 条记录`);
  }
  await finishCase();

  const checkpoints = await deps.db.selectFrom('record_checkpoints').selectAll().orderBy('tree_size').execute();
  for (const c of checkpoints) {
    const p = checkCheckpoint(c, deps.trusted);
    if (p) problems.push({ ...p, caseId: null });
  }
  const bySize = new Map(checkpoints.map((c) => [Number(c.tree_size), c]));
  const tree = new CompactTree();
  const compare = () => {
    const c = bySize.get(tree.size);
    if (c && tree.root().toString('hex') !== c.root) {
      problems.push({
        caseId: null,
        seq: null,
        recordId: null,
        check: 'tree',
        message: `由记录重建的 Merkle 树（大小 ${tree.size}）与已签名检查点的根不符：记录在检查点之后被改写或删除`,
        expected: c.root,
        actual: tree.root().toString('hex'),
      });
    }
  };
  compare();
  for (let from = 0; ; ) {
    const page = await deps.db
      .selectFrom('record_leaves as l')
      .leftJoin('case_records as r', 'r.id', 'l.record_id')
      .select(['l.leaf_index', 'l.case_id', 'l.seq', 'l.record_id', 'r.hash'])
      .where('l.leaf_index', '>=', from)
      .orderBy('l.leaf_index')
      .limit(PAGE)
      .execute();
    for (const l of page) {
      const at = { caseId: l.case_id, seq: l.seq, recordId: Number(l.record_id) };
      if (Number(l.leaf_index) !== tree.size) {
        problems.push({
          ...at,
          check: 'tree',
          message: `Merkle 树叶子 ${tree.size} 缺失`,
          expected: String(tree.size),
          actual: String(l.leaf_index),
        });
      }
      if (l.hash === null) {
        problems.push({
          ...at,
          check: 'tree',
          message: `第 ${l.seq} 条记录已记入 Merkle 树（叶子 ${l.leaf_index}），但已不在案件记录中（被删除）`,
        });
      }
      // A lost record still occupies its leaf: hash nothing, so every later root fails against its checkpoint.
      tree.append(leafHash(Buffer.from(l.hash ?? '', 'hex')));
      compare();
    }
    if (page.length < PAGE) break;
    from = Number(page[page.length - 1].leaf_index) + 1;
  }
  const latest = checkpoints[checkpoints.length - 1];
  return {
    ok: problems.length === 0,
    cases,
    records,
    treeSize: tree.size,
    checkpoints: checkpoints.length,
    latestCheckpoint: latest ? { treeSize: Number(latest.tree_size), root: latest.root, keyId: latest.key_id } : null,
    notYetInTree: Math.max(0, records - tree.size),
    signatures,
    problems,
    seconds: (Date.now() - started) / 1000,
  };
}
