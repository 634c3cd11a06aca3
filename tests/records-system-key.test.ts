import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';
import { systemClock } from '../server/infra/clock.js';
import { createRecordsContext, keysDir } from '../server/records/context.js';
import { keystoreFromSecret } from '../server/records/keystore.js';
import { generateSm2KeyPair, keyIdOf } from '../server/records/sm2.js';
import { LEGACY_KEY_FILE, rotateSystemKey, verifyBySystem } from '../server/records/system-key.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { tempDataDir } from './helpers/records.js';

const SECRET = 'one-secret-for-every-host';
const files = {} as Parameters<typeof createRecordsContext>[0]['files'];

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** The records context one host builds at start: its own DATA_DIR, the deployment's database. */
function host(env: Record<string, string>) {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: tempDataDir(), ...env });
  return createRecordsContext({ config, db: database.handle.db, clock: systemClock, files });
}

async function keyRows() {
  return database.handle.db.selectFrom('system_signing_keys').selectAll().orderBy('created_at').execute();
}

// One database per describe block's sequence: each test leaves the keys the next one starts from.
describe('one system signing key for every host of a deployment', () => {
  it('hosts with their own DATA_DIR and the same KEYSTORE_SECRET sign with one key, and trust each other', async () => {
    const a = await host({ KEYSTORE_SECRET: SECRET });
    const b = await host({ KEYSTORE_SECRET: SECRET });
    expect(b.systemKey.keyId).toBe(a.systemKey.keyId);
    expect(a.systemKey.source).toBe('database');
    const signature = a.systemKey.sign('checkpoint');
    expect(verifyBySystem(b.trusted, a.systemKey.keyId, 'checkpoint', signature)).toBe(true);
    expect(await keyRows()).toHaveLength(1);
  });

  it('refuses to start a host whose KEYSTORE_SECRET cannot open the key, saying why', async () => {
    await expect(host({ KEYSTORE_SECRET: 'another-hosts-secret!' })).rejects.toThrow(/KEYSTORE_SECRET/);
    await expect(host({})).rejects.toThrow(/无法解封系统签名密钥/);
  });

  it('records a rotation; the retired key still verifies what it signed', async () => {
    const before = await host({ KEYSTORE_SECRET: SECRET });
    const old = before.systemKey.sign('old checkpoint');
    const next = await rotateSystemKey(database.handle.db, keystoreFromSecret(SECRET), new Date());
    const after = await host({ KEYSTORE_SECRET: SECRET });
    expect(after.systemKey.keyId).toBe(next.keyId);
    expect(after.systemKey.keyId).not.toBe(before.systemKey.keyId);
    expect(verifyBySystem(after.trusted, before.systemKey.keyId, 'old checkpoint', old)).toBe(true);
    const rows = await keyRows();
    expect(rows.filter((r) => r.retired_at === null).map((r) => r.key_id)).toEqual([next.keyId]);
  });

  it('takes RECORD_SIGNING_KEY as a rotation, and refuses a host that lacks it', async () => {
    const pair = generateSm2KeyPair();
    const configured = await host({ KEYSTORE_SECRET: SECRET, RECORD_SIGNING_KEY: pair.privateKey });
    expect(configured.systemKey).toMatchObject({ keyId: keyIdOf(pair.publicKey), source: 'config' });
    const current = (await keyRows()).filter((r) => r.retired_at === null);
    expect(current).toMatchObject([{ key_id: keyIdOf(pair.publicKey), source: 'config', sealed_private_key: null }]);
    expect(configured.trusted.size).toBe(3);
    await expect(host({ KEYSTORE_SECRET: SECRET })).rejects.toThrow(/RECORD_SIGNING_KEY/);
  });
});

describe('a key an earlier release generated into DATA_DIR', () => {
  it('is moved into the database on first start, so the deployment keeps its key', async () => {
    const fresh = await createTestDatabase();
    try {
      const dataDir = tempDataDir();
      const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, KEYSTORE_SECRET: SECRET });
      const pair = generateSm2KeyPair();
      const sealed = keystoreFromSecret(SECRET).seal(pair.privateKey);
      await mkdir(keysDir(config), { recursive: true });
      await writeFile(
        path.join(keysDir(config), LEGACY_KEY_FILE),
        JSON.stringify({ publicKey: pair.publicKey, sealedPrivateKey: sealed }),
      );
      const ctx = await createRecordsContext({ config, db: fresh.handle.db, clock: systemClock, files });
      expect(ctx.systemKey.keyId).toBe(keyIdOf(pair.publicKey));
      const rows = await fresh.handle.db.selectFrom('system_signing_keys').selectAll().execute();
      expect(rows).toMatchObject([{ key_id: keyIdOf(pair.publicKey), source: 'imported' }]);
    } finally {
      await fresh.drop();
    }
  });
});
