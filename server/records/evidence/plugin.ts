import path from 'node:path';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import type { Database } from '../../database/connect.js';
import type { CaseFiles } from '../case-files.js';
import type { BlobBackend } from './backend.js';
import { fsBackend } from './fs-backend.js';
import { type EvidenceStore, evidenceStore } from './store.js';

export interface Evidence extends EvidenceStore {
  /** SM3 of an attachment's stored file as it is now. */
  hashOf(attachmentId: string): Promise<string | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    evidence: Evidence;
  }
}

export async function backendFor(config: Config): Promise<BlobBackend> {
  if (config.ATTACHMENT_STORAGE === 's3') {
    const { s3Backend } = await import('./s3-backend.js');
    return s3Backend(config);
  }
  return fsBackend(path.join(config.dataDir, 'attachments'));
}

export async function createEvidence(
  config: Config,
  db: Database,
  files: Pick<CaseFiles, 'attachmentStorageKey'>,
): Promise<Evidence> {
  const store = evidenceStore(await backendFor(config), {
    document: config.ATTACHMENT_DOCUMENT_MAX_BYTES,
    image: config.ATTACHMENT_IMAGE_MAX_BYTES,
    audio: config.ATTACHMENT_AUDIO_MAX_BYTES,
    video: config.ATTACHMENT_MAX_BYTES,
  });
  return {
    ...store,
    async hashOf(attachmentId) {
      const row = await files.attachmentStorageKey(db, attachmentId);
      return row ? store.hashKey(row.storage_key) : null;
    },
  };
}

/** Evidence storage (attachments) for the app: filesystem by default, S3-compatible when configured. */
export const evidencePlugin = fp(
  async (app) => {
    app.decorate('evidence', await createEvidence(app.config, app.db, app.records.files));
  },
  { name: 'evidence', dependencies: ['config', 'database'] },
);
