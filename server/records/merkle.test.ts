import { describe, expect, it } from 'vitest';
import {
  CompactTree,
  consistencyRanges,
  inclusionRanges,
  leafHash,
  type NodeId,
  nodeHash,
  rangeHash,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
import { sm3 } from './sm3.js';

/** MTH straight from RFC 6962 §2.1, recursive over the leaf data: the reference the stored tree must match. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sm3();
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function build(n: number) {
  const data = Array.from({ length: n }, (_, i) => Buffer.from(`record ${i}`));
  const tree = new CompactTree();
  const nodes = new Map<string, Buffer>();
  const roots: Buffer[] = [sm3()];
  for (const d of data) {
    for (const made of tree.append(leafHash(d))) nodes.set(`${made.level}:${made.idx}`, made.hash);
    roots.push(tree.root());
  }
  const get = (id: NodeId) => {
    const h = nodes.get(`${id.level}:${id.idx}`);
    if (!h) throw new Error(`missing node ${id.level}:${id.idx}`);
    return h;
  };
  return { data, roots, get, nodes };
}

describe('the RFC 6962 tree over SM3', () => {
  const N = 37;
  const { data, roots, get } = build(N);

  it('has the root of the recursive definition at every size', () => {
    for (let n = 0; n <= N; n++) expect(roots[n].equals(mth(data.slice(0, n)))).toBe(true);
  });

  it('proves the inclusion of every leaf in every tree that holds it, and no other leaf', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m < n; m++) {
        const path = inclusionRanges(m, 0, n).map(([lo, hi]) => rangeHash(lo, hi, get));
        expect(verifyInclusion(m, n, leafHash(data[m]), path, roots[n])).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from('forged')), path, roots[n])).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leafHash(data[m]), path, roots[n])).toBe(false);
      }
    }
  });

  it('proves every tree an append-only extension of every smaller one', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyRanges(m, n).map(([lo, hi]) => rangeHash(lo, hi, get));
        expect(verifyConsistency(m, n, roots[m], roots[n], proof)).toBe(true);
        if (m < n) {
          const bad = Buffer.from(roots[m]);
          bad[0] ^= 1;
          expect(verifyConsistency(m, n, bad, roots[n], proof)).toBe(false);
        }
      }
    }
  });

  it('resumes from the stored right edge and goes on to the same roots', () => {
    const resumed = CompactTree.resume(20, get);
    for (let i = 20; i < N; i++) resumed.append(leafHash(data[i]));
    expect(resumed.root().equals(roots[N])).toBe(true);
  });
});
