import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import type { Actor } from '../identity/service.js';
import { recordCaseEvent } from '../records/append.js';
import type { Evidence } from '../records/evidence/plugin.js';
import { storedFileName } from './file-names.js';
import * as q from './queries.js';
import type { CaseRow } from './tables.js';

export interface AttachmentItem {
  id: string;
  round: number;
  fileName: string;
  mediaType: string;
  size: number;
  sm3: string;
}

/**
 * The round an upload belongs to. While the officer is completing or correcting the packet, the files go with
 * the resubmission that is being prepared, which becomes round current_round + 1 when the step completes.
 */
export function attachmentRound(c: Pick<CaseRow, 'status' | 'current_round'>): number {
  return c.status === 'completing' || c.status === 'correcting' ? c.current_round + 1 : c.current_round;
}

/**
 * Stores one uploaded file as case evidence: streamed to storage under its SM3 (type checked by content, size
 * limited per type), then the attachment row and its record (文件哈希记入全过程记录) in one transaction.
 */
export async function saveAttachment(
  deps: { db: Kysely<DB>; evidence: Evidence; now: () => Date; history: HistoryListeners },
  c: CaseRow,
  actor: Actor,
  file: { stream: Readable & { truncated?: boolean }; fileName: string },
): Promise<AttachmentItem> {
  const stored = await deps.evidence.put(file.stream);
  const round = attachmentRound(c);
  const fileName = storedFileName(file.fileName, stored.ext);
  const row = await deps.db.transaction().execute(async (trx) => {
    const row = await q.insertAttachment(trx, {
      caseId: c.id,
      round,
      fileName,
      mediaType: stored.mediaType,
      size: stored.size,
      sm3: stored.sm3,
      storageKey: stored.storageKey,
      uploadedBy: actor.id,
    });
    const payload = {
      caseId: c.id,
      attachmentId: row.id,
      round,
      fileName,
      mediaType: stored.mediaType,
      family: stored.family,
      size: stored.size,
      sm3: stored.sm3,
    };
    await recordCaseEvent(deps.history, trx, c, {
      type: 'attachment.uploaded',
      actorId: actor.id,
      payload,
      at: deps.now(),
    });
    return row;
  });
  return {
    id: row.id,
    round: row.round,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: Number(row.size),
    sm3: row.sm3,
  };
}
