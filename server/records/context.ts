import path from 'node:path';
import type { Config } from '../config.js';
import type { Database } from '../database/connect.js';
import type { Clock } from '../infra/clock.js';
import type { CaseFiles } from './case-files.js';
import { type Keystore, openKeystore } from './keystore.js';
import type { DocumentSigner } from './signatures.js';
import { loadSystemKey, loadTrustedKeys, type SystemKey, type TrustedKeys } from './system-key.js';

/** What the record capability needs in any process: keys to sign and check with, and the database. */
export interface RecordsContext {
  db: Database;
  clock: Clock;
  keystore: Keystore;
  systemKey: SystemKey;
  trusted: TrustedKeys;
  signer: DocumentSigner;
  /** The cases and documents the record reads, through the port the assembly gives it. */
  files: CaseFiles;
}

export function keysDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'keys');
}

export async function createRecordsContext(deps: {
  config: Config;
  db: Database;
  clock: Clock;
  files: CaseFiles;
}): Promise<RecordsContext> {
  const { config } = deps;
  const keystore = await openKeystore({ secret: config.KEYSTORE_SECRET, keysDir: keysDir(config) });
  const systemKey = await loadSystemKey(deps.db, {
    configuredKey: config.RECORD_SIGNING_KEY,
    keysDir: keysDir(config),
    keystore,
    now: deps.clock.now(),
  });
  const retired = (config.RECORD_TRUSTED_KEYS ?? '')
    .split(',')
    .map((k) => k.trim().toLowerCase())
    .filter(Boolean);
  return {
    db: deps.db,
    clock: deps.clock,
    keystore,
    systemKey,
    trusted: await loadTrustedKeys(deps.db, retired),
    signer: { keystore, systemKey },
    files: deps.files,
  };
}
