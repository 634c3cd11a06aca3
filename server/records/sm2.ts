import { sm2 } from 'sm-crypto-v2';
import { sm3Hex } from './sm3.js';

/**
 * SM2 signatures (GB/T 32918.2) with SM3 over Z_A ‖ M, as the standard defines them (not ECDSA on the SM2
 * curve). The default distinguishing identifier is the one GM/T 0009 fixes. Keys and signatures are hex:
 * public keys uncompressed (04 ‖ x ‖ y), signatures r ‖ s (64 bytes).
 */
export const DEFAULT_SM2_ID = '1234567812345678';

export interface Sm2KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

export function publicKeyOf(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKey);
}

/** The id a key is known by: SM3 of its public key bytes. */
export function keyIdOf(publicKey: string): string {
  return sm3Hex(Buffer.from(publicKey, 'hex'));
}

export function sm2Sign(message: string | Uint8Array, key: Sm2KeyPair): string {
  return sm2.doSignature(message, key.privateKey, { hash: true, publicKey: key.publicKey, userId: DEFAULT_SM2_ID });
}

export function sm2Verify(message: string | Uint8Array, signature: string, publicKey: string): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^04[0-9a-f]{128}$/i.test(publicKey)) return false;
  try {
    return sm2.doVerifySignature(message, signature, publicKey, { hash: true, userId: DEFAULT_SM2_ID });
  } catch {
    return false;
  }
}

export function isSm2PrivateKey(hex: string): boolean {
  return /^[0-9a-f]{64}$/i.test(hex) && !/^0+$/.test(hex);
}
