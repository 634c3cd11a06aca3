import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { canonicalJson } from './canonical.js';
import type { Keystore } from './keystore.js';
import {
  generateSm2KeyPair,
  isSm2PrivateKey,
  keyIdOf,
  publicKeyOf,
  type Sm2KeyPair,
  sm2Sign,
  sm2Verify,
} from './sm2.js';
import type { SystemSigningKeysTable } from './tables.js';

/** The service's own SM2 key: signs checkpoints and the certificates of users' signing keys. */
export interface SystemKey {
  keyId: string;
  publicKey: string;
  /** 'config': RECORD_SIGNING_KEY; 'database': the sealed key every host of the deployment shares. */
  source: 'config' | 'database';
  sign(message: string): string;
}

/** Public keys whose signatures on checkpoints and certificates are accepted (the current one and retired ones). */
export type TrustedKeys = ReadonlyMap<string, string>;

function systemKeyOf(pair: Sm2KeyPair, source: SystemKey['source']): SystemKey {
  return { keyId: keyIdOf(pair.publicKey), publicKey: pair.publicKey, source, sign: (m) => sm2Sign(m, pair) };
}

type KeyRow = Selectable<SystemSigningKeysTable>;

/** Where an earlier release kept a generated key: one host's DATA_DIR. It is moved into the database once. */
export const LEGACY_KEY_FILE = 'system-sm2.json';

/**
 * The system key of the deployment, the same on every host of one database:
 * - RECORD_SIGNING_KEY when configured; a key other than the current one is recorded as a rotation;
 * - otherwise the current key stored in the database, sealed with KEYSTORE_SECRET: a host whose secret does
 *   not open it refuses to start (it would sign with a key nobody trusts);
 * - with no key yet, the one an earlier release left in DATA_DIR/keys, or a new one.
 * Starts are serialised on an advisory lock so that hosts starting together agree on one key.
 */
export async function loadSystemKey(
  db: Kysely<DB>,
  opts: { configuredKey?: string; keysDir: string; keystore: Keystore; now: Date },
): Promise<SystemKey> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('fashen.system_signing_key'))`.execute(trx);
    const current = await trx
      .selectFrom('system_signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    if (opts.configuredKey) {
      if (!isSm2PrivateKey(opts.configuredKey)) throw new Error('RECORD_SIGNING_KEY 须为 64 位十六进制的 SM2 私钥');
      const privateKey = opts.configuredKey.toLowerCase();
      const pair = { privateKey, publicKey: publicKeyOf(privateKey) };
      if (current?.key_id !== keyIdOf(pair.publicKey)) await rotateTo(trx, pair.publicKey, null, 'config', opts.now);
      return systemKeyOf(pair, 'config');
    }
    if (current) return systemKeyOf(openStored(current, opts.keystore), 'database');
    const legacy = await readLegacyKey(opts.keysDir);
    const pair = legacy ? openStored(legacy, opts.keystore) : generateSm2KeyPair();
    const sealed = legacy?.sealed_private_key ?? opts.keystore.seal(pair.privateKey);
    await rotateTo(trx, pair.publicKey, sealed, legacy ? 'imported' : 'generated', opts.now);
    return systemKeyOf(pair, 'database');
  });
}

/** `fashen keys rotate`: a new generated key becomes current; the old one is retired and stays trusted. */
export async function rotateSystemKey(db: Kysely<DB>, keystore: Keystore, now: Date): Promise<SystemKey> {
  const pair = generateSm2KeyPair();
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('fashen.system_signing_key'))`.execute(trx);
    await rotateTo(trx, pair.publicKey, keystore.seal(pair.privateKey), 'generated', now);
  });
  return systemKeyOf(pair, 'database');
}

/** Every system key the deployment has had, newest first. */
export function listSystemKeys(db: Kysely<DB>) {
  return db
    .selectFrom('system_signing_keys')
    .select(['key_id', 'public_key', 'source', 'created_at', 'retired_at'])
    .orderBy('created_at', 'desc')
    .execute();
}

async function rotateTo(
  trx: Transaction<DB>,
  publicKey: string,
  sealed: string | null,
  source: KeyRow['source'],
  now: Date,
): Promise<void> {
  await trx.updateTable('system_signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
  await trx
    .insertInto('system_signing_keys')
    .values({ key_id: keyIdOf(publicKey), public_key: publicKey, sealed_private_key: sealed, source, created_at: now })
    .onConflict((oc) => oc.column('key_id').doUpdateSet({ retired_at: null, sealed_private_key: sealed, source }))
    .execute();
}

function openStored(row: Pick<KeyRow, 'key_id' | 'public_key' | 'sealed_private_key'>, keystore: Keystore): Sm2KeyPair {
  if (row.sealed_private_key === null) {
    throw new Error(
      `本部署的系统签名密钥（keyId ${row.key_id}）由 RECORD_SIGNING_KEY 提供，本主机未配置：请在每台主机上配置同一 RECORD_SIGNING_KEY`,
    );
  }
  let privateKey: string;
  try {
    privateKey = keystore.open(row.sealed_private_key);
  } catch {
    throw new Error(
      `无法解封系统签名密钥（keyId ${row.key_id}）：本主机的 KEYSTORE_SECRET 与生成该密钥的主机不同。同一部署的每台主机须配置同一 KEYSTORE_SECRET`,
    );
  }
  if (publicKeyOf(privateKey) !== row.public_key) throw new Error(`系统签名密钥 ${row.key_id}：私钥与公钥不匹配`);
  return { privateKey, publicKey: row.public_key };
}

async function readLegacyKey(keysDir: string) {
  let text: string;
  try {
    text = await readFile(path.join(keysDir, LEGACY_KEY_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const stored = JSON.parse(text) as { publicKey: string; sealedPrivateKey: string };
  return {
    key_id: keyIdOf(stored.publicKey),
    public_key: stored.publicKey,
    sealed_private_key: stored.sealedPrivateKey,
  };
}

/** The trusted keys: every system key of the deployment, and retired keys named in RECORD_TRUSTED_KEYS. */
export async function loadTrustedKeys(db: Kysely<DB>, retired: string[] = []): Promise<TrustedKeys> {
  const rows = await db.selectFrom('system_signing_keys').select('public_key').execute();
  return new Map([...rows.map((r) => r.public_key), ...retired].map((k) => [keyIdOf(k), k]));
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
