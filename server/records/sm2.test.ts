import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SM2_ID, generateSm2KeyPair, keyIdOf, publicKeyOf, sm2Sign, sm2Verify } from './sm2.js';

/**
 * The signature example over the recommended 256-bit curve (GB/T 32918.5-2017 / GM/T 0003.5-2012 Annex A.2 as
 * reproduced in GM/T 0003 and the OSCCA test suites): d, the message "message digest", ID 1234567812345678 and
 * the random k give exactly this r and s.
 */
const VECTOR = {
  d: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  x: '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  y: 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  message: 'message digest',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};

describe('SM2 signatures (GB/T 32918)', () => {
  it('derives the standard public key from the standard private key', () => {
    expect(publicKeyOf(VECTOR.d)).toBe(`04${VECTOR.x}${VECTOR.y}`);
  });

  it('gives the standard r and s for the standard message, identifier and k', () => {
    const publicKey = `04${VECTOR.x}${VECTOR.y}`;
    const kG = publicKeyOf(VECTOR.k);
    const signature = sm2.doSignature(VECTOR.message, VECTOR.d, {
      hash: true,
      publicKey,
      userId: DEFAULT_SM2_ID,
      pointPool: [{ k: BigInt(`0x${VECTOR.k}`), x1: BigInt(`0x${kG.slice(2, 66)}`) }],
    });
    expect(signature).toBe(VECTOR.r + VECTOR.s);
    expect(sm2Verify(VECTOR.message, VECTOR.r + VECTOR.s, publicKey)).toBe(true);
  });

  it('refuses the standard signature over another message, with another key, or with a changed bit', () => {
    const publicKey = `04${VECTOR.x}${VECTOR.y}`;
    expect(sm2Verify('message digesT', VECTOR.r + VECTOR.s, publicKey)).toBe(false);
    expect(sm2Verify(VECTOR.message, VECTOR.r + VECTOR.s, generateSm2KeyPair().publicKey)).toBe(false);
    const flipped = `${VECTOR.r.slice(0, -1)}${VECTOR.r.endsWith('3') ? '2' : '3'}${VECTOR.s}`;
    expect(sm2Verify(VECTOR.message, flipped, publicKey)).toBe(false);
    expect(sm2Verify(VECTOR.message, 'not hex', publicKey)).toBe(false);
  });

  it('signs and verifies with a fresh key pair, and names keys by the SM3 of the public key', () => {
    const key = generateSm2KeyPair();
    const sig = sm2Sign('审核意见', key);
    expect(sm2Verify('审核意见', sig, key.publicKey)).toBe(true);
    expect(keyIdOf(key.publicKey)).toMatch(/^[0-9a-f]{64}$/);
  });
});
