import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Seals private keys at rest with the national algorithms: SM4-CBC for secrecy and HMAC-SM3 over the IV and
 * ciphertext for integrity (encrypt-then-MAC). The sealing keys are derived with scrypt from KEYSTORE_SECRET,
 * or from a random secret written once to DATA_DIR/keys/keystore.secret when none is configured.
 */
export interface Keystore {
  seal(plain: string): string;
  open(sealed: string): string;
  /** Where the secret came from, for the startup log. */
  readonly secretSource: 'config' | 'file';
}

const FORMAT = 'sm4cbc-hmacsm3-v1';

export function keystoreFromSecret(secret: string, secretSource: Keystore['secretSource'] = 'config'): Keystore {
  const derived = scryptSync(secret, 'fashen-keystore-v1', 48, { N: 2 ** 14 });
  const encKey = derived.subarray(0, 16);
  const macKey = derived.subarray(16);
  const mac = (iv: Buffer, ct: Buffer) => createHmac('sm3', macKey).update(FORMAT).update(iv).update(ct).digest();
  return {
    secretSource,
    seal(plain) {
      const iv = randomBytes(16);
      const c = createCipheriv('sm4-cbc', encKey, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return [FORMAT, iv.toString('hex'), ct.toString('hex'), mac(iv, ct).toString('hex')].join(':');
    },
    open(sealed) {
      const [format, ivHex, ctHex, macHex] = sealed.split(':');
      if (format !== FORMAT || !ivHex || !ctHex || !macHex) throw new Error('密钥密文格式不正确');
      const iv = Buffer.from(ivHex, 'hex');
      const ct = Buffer.from(ctHex, 'hex');
      const expected = mac(iv, ct);
      const given = Buffer.from(macHex, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new Error('密钥密文校验失败（KEYSTORE_SECRET 不符或密文被改动）');
      }
      const d = createDecipheriv('sm4-cbc', encKey, iv);
      return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
    },
  };
}

/**
 * Writes `content` to `file` unless it exists. The file appears whole or not at all (written aside, then
 * hard-linked into place), and the first writer wins, so processes starting together agree on one key.
 */
export async function writeOnce(file: string, content: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(aside, content, { mode: 0o600 });
  try {
    await link(aside, file);
    return content;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFile(file, 'utf8');
  } finally {
    await rm(aside, { force: true });
  }
}

export async function openKeystore(opts: { secret?: string; keysDir: string }): Promise<Keystore> {
  if (opts.secret) return keystoreFromSecret(opts.secret, 'config');
  const secret = await writeOnce(path.join(opts.keysDir, 'keystore.secret'), randomBytes(32).toString('hex'));
  return keystoreFromSecret(secret.trim(), 'file');
}
