import type { Database } from '../database/connect.js';
import { checkRawXml } from '../definitions/xml-safety.js';
import { AppError } from '../http/errors.js';
import * as q from './queries.js';

export interface Draft {
  processKey: string;
  xml: string;
  baseVersion: number | null;
  revision: number;
  savedAt: Date;
  savedByName: string;
}

export interface SaveDraftInput {
  departmentId: string;
  processKey: string;
  xml: string;
  baseVersion: number | null;
  /** The revision the editor loaded; null when it started a new draft. */
  expectedRevision: number | null;
  savedBy: string;
  maxBytes: number;
  now: Date;
}

export async function getDraft(db: Database, departmentId: string, processKey: string): Promise<Draft> {
  const row = await q.findDraft(db, departmentId, processKey);
  if (!row) throw new AppError(404, 'NOT_FOUND', `本机关没有流程 ${processKey} 的草稿`);
  return {
    processKey: row.process_key,
    xml: row.xml,
    baseVersion: row.base_version,
    revision: row.revision,
    savedAt: row.saved_at,
    savedByName: row.saved_by_name,
  };
}

async function conflict(db: Database, departmentId: string, processKey: string): Promise<AppError> {
  const current = await q.findDraft(db, departmentId, processKey);
  const who = current
    ? `${current.saved_by_name}于 ${current.saved_at.toISOString()} 保存了第 ${current.revision} 稿`
    : '草稿已被删除';
  return new AppError(409, 'CONFLICT', `草稿已被他人更新（${who}）；请重新打开后再修改`, {
    currentRevision: current?.revision ?? null,
  });
}

/**
 * Saves a department's draft. Drafts may be unfinished (they are checked at deploy, not here), but they are still
 * untrusted XML: size and DTDs are checked as for an upload. A save over a newer save is a conflict, never a loss.
 */
export async function saveDraft(db: Database, input: SaveDraftInput) {
  checkRawXml(input.xml, input.maxBytes);
  const saved =
    input.expectedRevision === null
      ? await q.insertDraft(db, {
          department_id: input.departmentId,
          process_key: input.processKey,
          xml: input.xml,
          base_version: input.baseVersion,
          revision: 1,
          saved_by: input.savedBy,
          saved_at: input.now,
        })
      : await q.updateDraft(
          db,
          { departmentId: input.departmentId, processKey: input.processKey, expectedRevision: input.expectedRevision },
          { xml: input.xml, baseVersion: input.baseVersion, savedBy: input.savedBy, savedAt: input.now },
        );
  if (!saved) throw await conflict(db, input.departmentId, input.processKey);
  return { revision: saved.revision, savedAt: saved.saved_at };
}

export async function discardDraft(db: Database, departmentId: string, processKey: string): Promise<void> {
  if (!(await q.deleteDraft(db, departmentId, processKey))) {
    throw new AppError(404, 'NOT_FOUND', `本机关没有流程 ${processKey} 的草稿`);
  }
}
