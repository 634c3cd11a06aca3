import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import * as identity from '../identity/directory.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import { type BenchmarkItem, type BenchmarkItemInput, basisText, validateItem } from './model.js';
import * as q from './queries.js';
import { CIRCUMSTANCE_LABELS, rangeText } from './vocabulary.js';

export interface DiscretionContext {
  db: Database;
  clock: Clock;
}

/** Items a department may keep: far more than any benchmark lists, few enough for one page and one import. */
export const MAX_ITEMS = 2000;

/** The department's legal admin maintains its benchmark; a system admin any department's. */
export async function assertCanEdit(db: Database, actor: Actor, departmentId: string): Promise<void> {
  const admin = actor.roles.includes('admin');
  if (!admin && !(actor.roles.includes('legal_admin') && actor.departmentId === departmentId)) {
    throw new AppError(403, 'FORBIDDEN', '只能维护本机关的裁量基准');
  }
  if (admin && !(await identity.findDepartmentById(db, departmentId))) {
    throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
  }
}

/** The department's own staff read its benchmark; the justice bureau (supervisors) and admins read every one. */
export async function assertCanRead(db: Database, actor: Actor, departmentId: string): Promise<void> {
  if (actor.departmentId === departmentId) return;
  if (!readsAllDepartments(actor)) throw new AppError(403, 'FORBIDDEN', '无权查看其他执法机关的裁量基准');
  if (!(await identity.findDepartmentById(db, departmentId))) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
}

export function invalid(errors: Record<string, string>): never {
  throw new AppError(400, 'VALIDATION_FAILED', Object.values(errors).join('；'), { fields: errors });
}

/** One line per item for the change history: what the item says after the change. */
export function itemSummary(i: Pick<BenchmarkItemInput, 'code' | 'violation' | 'ranges'>): string {
  const ranges = i.ranges.map((r) => `${CIRCUMSTANCE_LABELS[r.circumstance]}：${rangeText(r)}`).join('；');
  return `${i.code} ${i.violation}（${ranges}）`;
}

const snapshot = (i: BenchmarkItem | BenchmarkItemInput) => ({
  code: i.code,
  violation: i.violation,
  basis: basisText({ basisLaw: i.basisLaw ?? null, basisArticle: i.basisArticle ?? null }),
  ranges: i.ranges,
});

export async function listBenchmark(ctx: DiscretionContext, actor: Actor, departmentId: string) {
  await assertCanRead(ctx.db, actor, departmentId);
  return q.listItems(ctx.db, departmentId);
}

export async function getBenchmarkItem(ctx: DiscretionContext, actor: Actor, departmentId: string, id: string) {
  await assertCanRead(ctx.db, actor, departmentId);
  const item = await q.findItem(ctx.db, departmentId, id);
  if (!item) throw new AppError(404, 'NOT_FOUND', '裁量基准事项不存在');
  return item;
}

/** Adds or (with `id`) changes an item, and writes who did it, when, and the item before and after. */
export async function saveBenchmarkItem(
  ctx: DiscretionContext,
  actor: Actor,
  departmentId: string,
  input: BenchmarkItemInput,
  id?: string,
): Promise<BenchmarkItem> {
  await assertCanEdit(ctx.db, actor, departmentId);
  const { value, errors } = validateItem(input);
  if (Object.keys(errors).length) invalid(errors);
  const now = ctx.clock.now();
  const savedId = await ctx.db.transaction().execute(async (trx) => {
    const before = id ? await q.findItem(trx, departmentId, id) : undefined;
    if (id && !before) throw new AppError(404, 'NOT_FOUND', '裁量基准事项不存在');
    if (await q.codeTaken(trx, departmentId, value.code, id)) {
      throw new AppError(409, 'CONFLICT', `编码 ${value.code} 已被本机关的其他裁量基准事项使用`, {
        fields: { code: `编码 ${value.code} 已被使用` },
      });
    }
    if (!before && (await q.itemCodes(trx, departmentId)).length >= MAX_ITEMS) {
      throw new AppError(409, 'CONFLICT', `裁量基准最多 ${MAX_ITEMS} 项`);
    }
    const sortOrder = value.sortOrder ?? before?.sortOrder ?? (await q.nextSortOrder(trx, departmentId));
    const itemId = await q.saveItem(trx, departmentId, { ...value, sortOrder }, { at: now, by: actor.id }, id);
    await q.recordChange(trx, {
      departmentId,
      itemId,
      code: value.code,
      action: before ? 'updated' : 'created',
      summary: `${before ? '修改' : '新增'} ${itemSummary(value)}`,
      before: before ? snapshot(before) : undefined,
      after: snapshot(value),
      actorId: actor.id,
      at: now,
    });
    return itemId;
  });
  return (await q.findItem(ctx.db, departmentId, savedId)) as BenchmarkItem;
}

export async function deleteBenchmarkItem(ctx: DiscretionContext, actor: Actor, departmentId: string, id: string) {
  await assertCanEdit(ctx.db, actor, departmentId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await q.findItem(trx, departmentId, id);
    if (!before) throw new AppError(404, 'NOT_FOUND', '裁量基准事项不存在');
    await q.deleteItem(trx, departmentId, id);
    await q.recordChange(trx, {
      departmentId,
      itemId: id,
      code: before.code,
      action: 'deleted',
      summary: `删除 ${before.code} ${before.violation}`,
      before: snapshot(before),
      actorId: actor.id,
      at: now,
    });
  });
}

export async function benchmarkChanges(ctx: DiscretionContext, actor: Actor, departmentId: string, limit = 50) {
  await assertCanRead(ctx.db, actor, departmentId);
  const rows = await q.listChanges(ctx.db, departmentId, limit);
  return rows.map((r) => ({ ...r, id: String(r.id), at: new Date(r.at).toISOString() }));
}
