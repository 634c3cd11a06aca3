import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { storedFileName } from '../cases/file-names.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import type { EvidenceStore } from '../records/evidence/store.js';
import * as q from './queries.js';
import { answersFor } from './service.js';
import type { SupervisionItemRow } from './tables.js';

/**
 * Stores one file for the agency's answer in the evidence storage under its SM3 (type checked by content);
 * the answer that takes it records its name and SM3 in the case's record.
 */
export async function saveSupervisionFile(
  deps: { db: Kysely<DB>; evidence: Pick<EvidenceStore, 'put'> },
  item: SupervisionItemRow,
  actor: Actor,
  file: { stream: Readable & { truncated?: boolean }; fileName: string },
) {
  if (!answersFor(actor, item)) throw new AppError(403, 'FORBIDDEN', '只有被监督机关的法制机构可以上传办理情况的附件');
  if (item.status !== 'open' && item.status !== 'returned') {
    file.stream.resume();
    throw new AppError(409, 'CONFLICT', '该监督意见当前不需要报送办理情况');
  }
  const stored = await deps.evidence.put(file.stream);
  const row = await q.insertFile(deps.db, {
    item_id: item.id,
    file_name: storedFileName(file.fileName, stored.ext),
    media_type: stored.mediaType,
    size: stored.size,
    sm3: stored.sm3,
    storage_key: stored.storageKey,
    uploaded_by: actor.id,
  });
  return {
    id: row.id,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: Number(row.size),
    sm3: row.sm3,
    uploadedAt: row.uploaded_at.toISOString(),
  };
}
