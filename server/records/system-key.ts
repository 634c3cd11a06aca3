import path from 'node:path';
import { canonicalJson } from './canonical.js';
import { type Keystore, writeOnce } from './keystore.js';
import {
  generateSm2KeyPair,
  isSm2PrivateKey,
  keyIdOf,
  publicKeyOf,
  type Sm2KeyPair,
  sm2Sign,
  sm2Verify,
} from './sm2.js';

/** The service's own SM2 key: signs checkpoints and the certificates of users' signing keys. */
export interface SystemKey {
  keyId: string;
  publicKey: string;
  source: 'config' | 'file';
  sign(message: string): string;
}

/** Public keys whose signatures on checkpoints and certificates are accepted (the current one and retired ones). */
export type TrustedKeys = ReadonlyMap<string, string>;

function systemKeyOf(pair: Sm2KeyPair, source: SystemKey['source']): SystemKey {
  return { keyId: keyIdOf(pair.publicKey), publicKey: pair.publicKey, source, sign: (m) => sm2Sign(m, pair) };
}

/**
 * RECORD_SIGNING_KEY (64 hex digits) when configured; otherwise the key in DATA_DIR/keys/system-sm2.json,
 * generated on first start with its private half sealed by the keystore.
 */
export async function loadSystemKey(opts: {
  configuredKey?: string;
  keysDir: string;
  keystore: Keystore;
}): Promise<SystemKey> {
  if (opts.configuredKey) {
    if (!isSm2PrivateKey(opts.configuredKey)) throw new Error('RECORD_SIGNING_KEY 须为 64 位十六进制的 SM2 私钥');
    const privateKey = opts.configuredKey.toLowerCase();
    return systemKeyOf({ privateKey, publicKey: publicKeyOf(privateKey) }, 'config');
  }
  const fresh = generateSm2KeyPair();
  const file = path.join(opts.keysDir, 'system-sm2.json');
  const stored = JSON.parse(
    await writeOnce(
      file,
      `${JSON.stringify({ publicKey: fresh.publicKey, sealedPrivateKey: opts.keystore.seal(fresh.privateKey), createdAt: new Date().toISOString() }, null, 2)}\n`,
    ),
  ) as { publicKey: string; sealedPrivateKey: string };
  const privateKey = opts.keystore.open(stored.sealedPrivateKey);
  if (publicKeyOf(privateKey) !== stored.publicKey) throw new Error(`${file}: 私钥与公钥不匹配`);
  return systemKeyOf({ privateKey, publicKey: stored.publicKey }, 'file');
}

export function trustedKeys(current: { publicKey: string }, retired: string[] = []): TrustedKeys {
  return new Map([current.publicKey, ...retired].map((k) => [keyIdOf(k), k]));
}

/** Verifies a signature made by one of the trusted system keys. */
export function verifyBySystem(trusted: TrustedKeys, keyId: string, message: string, signature: string): boolean {
  const publicKey = trusted.get(keyId);
  return !!publicKey && sm2Verify(message, signature, publicKey);
}

export const signedBody = (value: unknown) => canonicalJson(value);
