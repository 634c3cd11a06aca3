import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../database/schema.js';
import { AppError } from '../../http/errors.js';
import { type Actor, hasRole } from '../../identity/service.js';
import { departmentForDocuments } from '../queries.js';
import type { SealImage } from './drawing.js';
import { inspectSealPng, PngRejected, SEAL_MAX_BYTES, SEAL_RULES } from './png.js';
import * as q from './queries.js';

type Db = Kysely<DB> | Transaction<DB>;

export type { SealImage };

export interface SealInfo {
  departmentId: string;
  sm3: string;
  size: number;
  width: number;
  height: number;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface SavedSeal extends SealInfo {
  /** Advice that does not stop the upload (a background that is not transparent). */
  warnings: string[];
}

export { SEAL_MAX_BYTES, SEAL_RULES };

const infoOf = (row: Awaited<ReturnType<typeof q.findSealMeta>> & object): SealInfo => ({
  departmentId: row.department_id,
  sm3: row.sm3,
  size: row.size,
  width: row.width,
  height: row.height,
  uploadedBy: row.uploaded_by,
  uploadedAt: row.uploaded_at,
});

/** A department's seal is managed by system admins, and by the legal unit's admins (legal_admin) of its own. */
export function assertSealAccess(actor: Actor, departmentId: string): void {
  if (hasRole(actor, 'admin')) return;
  if (hasRole(actor, 'legal_admin') && actor.departmentId === departmentId) return;
  throw new AppError(403, 'FORBIDDEN', '只有系统管理员或本机关法制机构管理员可以管理本机关的印章');
}

async function assertDepartment(db: Db, departmentId: string): Promise<void> {
  if (!(await departmentForDocuments(db, departmentId))) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
}

function rejection(err: PngRejected): AppError {
  switch (err.problem.kind) {
    case 'not_png':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', err.message);
    case 'too_large':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', err.message, { maxBytes: SEAL_MAX_BYTES });
    case 'invalid':
      return new AppError(400, 'VALIDATION_FAILED', err.message);
  }
}

/** Checks an uploaded PNG and makes it the department's seal (replacing any earlier one). */
export async function saveSeal(
  db: Db,
  input: { departmentId: string; png: Buffer; uploadedBy: string; at: Date },
): Promise<SavedSeal> {
  await assertDepartment(db, input.departmentId);
  const png = await inspectSealPng(input.png).catch((err) => {
    throw err instanceof PngRejected ? rejection(err) : err;
  });
  const row = await q.upsertSeal(db, {
    departmentId: input.departmentId,
    image: input.png,
    sm3: createHash('sm3').update(input.png).digest('hex'),
    width: png.width,
    height: png.height,
    uploadedBy: input.uploadedBy,
    uploadedAt: input.at,
  });
  const warnings = png.transparent
    ? []
    : ['图片没有透明背景：建议上传透明背景的 PNG，印章以外的部分才不会遮挡落款文字和页面底色'];
  return { ...infoOf(row), warnings };
}

/** Removes a department's seal; documents issued from then on carry none. False if it had none. */
export async function removeSeal(db: Db, departmentId: string): Promise<boolean> {
  await assertDepartment(db, departmentId);
  return q.deleteSeal(db, departmentId);
}

export async function sealInfo(db: Db, departmentId: string): Promise<SealInfo | null> {
  const row = await q.findSealMeta(db, departmentId);
  return row ? infoOf(row) : null;
}

/** The seal's PNG with its details, or null. */
export async function sealFile(db: Db, departmentId: string): Promise<(SealInfo & { png: Buffer }) | null> {
  const row = await q.findSeal(db, departmentId);
  return row ? { ...infoOf(row), png: row.image } : null;
}

/** The seal a department's documents are rendered with, or undefined when it has none. */
export async function sealForDocuments(db: Db, departmentId: string): Promise<SealImage | undefined> {
  const row = await q.findSeal(db, departmentId);
  return row ? { png: row.image, width: row.width, height: row.height } : undefined;
}
