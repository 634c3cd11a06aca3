import { createHash } from 'node:crypto';

/** SM3 (GB/T 32905) digest as a Buffer. Node's OpenSSL does SM3 natively. */
export function sm3(...parts: (Uint8Array | string)[]): Buffer {
  const h = createHash('sm3');
  for (const p of parts) h.update(p);
  return h.digest();
}

export const sm3Hex = (...parts: (Uint8Array | string)[]) => sm3(...parts).toString('hex');

export const ZERO_HASH = '0'.repeat(64);

export function isHash(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
}
