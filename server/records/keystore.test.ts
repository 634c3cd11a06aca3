import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { keystoreFromSecret } from './keystore.js';

describe('the keystore (SM4-CBC + HMAC-SM3)', () => {
  const ks = keystoreFromSecret('a server secret of some length');

  it('opens what it sealed, and seals the same key differently each time', () => {
    const a = ks.seal('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8');
    expect(ks.open(a)).toBe('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8');
    expect(ks.seal('x')).not.toBe(ks.seal('x'));
    expect(a).not.toContain('3945208f');
  });

  it('refuses a changed ciphertext and another secret', () => {
    const sealed = ks.seal('private');
    const parts = sealed.split(':');
    parts[2] = `${parts[2].slice(0, -1)}${parts[2].endsWith('0') ? '1' : '0'}`;
    expect(() => ks.open(parts.join(':'))).toThrow(/校验失败/);
    expect(() => keystoreFromSecret('another secret, also long').open(sealed)).toThrow(/校验失败/);
  });
});

describe('canonical JSON', () => {
  it('sorts keys, drops undefined and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, '审'], c: undefined, d: { z: 1.5, y: -0 } })).toBe(
      '{"a":[true,null,"审"],"b":1,"d":{"y":0,"z":1.5}}',
    );
  });
});
