import { sm3 } from './sm3.js';

/**
 * The Merkle tree of RFC 6962 §2.1 (the structure Certificate Transparency uses), with SM3 as its hash:
 * leaf = SM3(0x00 ‖ data), node = SM3(0x01 ‖ left ‖ right), the left subtree of n leaves holding the largest
 * power of two below n. Indices are plain numbers and use arithmetic, not 32-bit bit operators.
 */
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (data: Uint8Array) => sm3(LEAF, data);
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sm3(NODE, left, right);
export const EMPTY_ROOT = sm3();

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPow2 = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** A perfect subtree: 2^level leaves starting at leaf idx·2^level. Stored once computed, never changed. */
export interface NodeId {
  level: number;
  idx: number;
}

/** The perfect subtrees whose hashes make up MTH(D[lo:hi]) for a range that occurs in the tree. */
export function perfectNodes(lo: number, hi: number): NodeId[] {
  const n = hi - lo;
  if (n <= 0) return [];
  if (isPow2(n)) {
    if (lo % n !== 0) throw new RangeError(`range [${lo}, ${hi}) is not a subtree`);
    return [{ level: Math.log2(n), idx: lo / n }];
  }
  const k = splitPoint(n);
  return [...perfectNodes(lo, lo + k), ...perfectNodes(lo + k, hi)];
}

export type NodeLookup = (node: NodeId) => Buffer;

/** MTH(D[lo:hi]) from stored perfect subtrees. */
export function rangeHash(lo: number, hi: number, get: NodeLookup): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (isPow2(n)) return get({ level: Math.log2(n), idx: lo / n });
  const k = splitPoint(n);
  return nodeHash(rangeHash(lo, lo + k, get), rangeHash(lo + k, hi, get));
}

type Range = [number, number];

/** RFC 6962 §2.1.1 PATH(m, D[lo:hi]) as the ranges whose hashes form the audit path, leaf upwards. */
export function inclusionRanges(m: number, lo: number, hi: number): Range[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...inclusionRanges(m, lo, lo + k), [lo + k, hi]];
  return [...inclusionRanges(m - k, lo + k, hi), [lo, lo + k]];
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) as ranges. */
export function consistencyRanges(m: number, n: number): Range[] {
  if (m <= 0 || m >= n) return [];
  const sub = (m: number, lo: number, hi: number, complete: boolean): Range[] => {
    const size = hi - lo;
    if (m === size) return complete ? [] : [[lo, hi]];
    const k = splitPoint(size);
    if (m <= k) return [...sub(m, lo, lo + k, complete), [lo + k, hi]];
    return [...sub(m - k, lo + k, hi, false), [lo, lo + k]];
  };
  return sub(m, 0, n, true);
}

/** Every stored node the given ranges need, deduplicated. */
export function nodesFor(ranges: Range[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const [lo, hi] of ranges) for (const id of perfectNodes(lo, hi)) seen.set(`${id.level}:${id.idx}`, id);
  return [...seen.values()];
}

/** RFC 9162 §2.1.3.2: does the audit path lead from the leaf to the root? */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Buffer,
  path: Buffer[],
  root: Buffer,
): boolean {
  if (leafIndex >= treeSize || leafIndex < 0) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else r = nodeHash(r, p);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of size `second` an append-only extension of the tree of size `first`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: Buffer[],
): boolean {
  if (first > second || first < 1) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = isPow2(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else sr = nodeHash(sr, c);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/**
 * The right edge of a growing tree: one perfect subtree per set bit of its size. Appending a leaf reports
 * every perfect subtree it completes, so a sequencer can store them, and the root is available at any size.
 */
export class CompactTree {
  private stack: { level: number; idx: number; hash: Buffer }[] = [];
  size = 0;

  /** Resumes from the stored frontier of a tree of `size` leaves (the nodes of perfectNodes(0, size)). */
  static resume(size: number, get: NodeLookup): CompactTree {
    const t = new CompactTree();
    t.size = size;
    t.stack = perfectNodes(0, size).map((id) => ({ ...id, hash: get(id) }));
    return t;
  }

  append(leaf: Buffer): (NodeId & { hash: Buffer })[] {
    const made = [{ level: 0, idx: this.size, hash: leaf }];
    let top = made[0];
    while (this.stack.length && this.stack[this.stack.length - 1].level === top.level) {
      const left = this.stack.pop()!;
      top = { level: top.level + 1, idx: left.idx / 2, hash: nodeHash(left.hash, top.hash) };
      made.push(top);
    }
    this.stack.push(top);
    this.size += 1;
    return made;
  }

  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let r = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) r = nodeHash(this.stack[i].hash, r);
    return r;
  }
}
