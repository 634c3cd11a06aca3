import type { Insertable } from 'kysely';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import * as identity from '../identity/directory.js';
import type { Actor } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import {
  DEFAULT_LITIGATION_LIMIT,
  DEFAULT_RECONSIDERATION_LIMIT,
  type FieldErrors,
  REMEDY_FIELDS,
  validateFields,
} from './fields.js';
import * as q from './queries.js';
import { type ListSection, POWERS, type Power, toColumns } from './sections.js';
import type { RemediesRow } from './tables.js';
import type { PowerCategory } from './vocabulary.js';

export interface ProfileContext {
  db: Database;
  clock: Clock;
}

/** How many items a department may keep per section: far above real lists, low enough to keep pages whole. */
export const MAX_ITEMS: Record<ListSection['section'], number> = {
  powers: 5000,
  service_guides: 200,
  inspection_items: 500,
};

/** A legal admin maintains their own department's disclosures; a system admin may maintain any. */
export async function assertCanEdit(db: Database, actor: Actor, departmentId: string): Promise<void> {
  const admin = actor.roles.includes('admin');
  if (!admin && !(actor.roles.includes('legal_admin') && actor.departmentId === departmentId)) {
    throw new AppError(403, 'FORBIDDEN', '只能维护本机关的事前公开信息');
  }
  if (admin && !(await identity.findDepartmentById(db, departmentId))) {
    throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
  }
}

export function invalid(errors: FieldErrors, message = Object.values(errors).join('；')): never {
  throw new AppError(400, 'VALIDATION_FAILED', message, { fields: errors });
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

function codeTaken(code: unknown): never {
  const message = `编码 ${String(code)} 已在本机关职权事项清单中`;
  throw new AppError(409, 'CONFLICT', message, { fields: { code: message } });
}

/** The names of who last changed each row, for the legal unit's own lists. */
async function withEditors<T extends { updatedBy: string | null }>(db: Database, items: T[]) {
  const names = await q.userNames(
    db,
    items.map((i) => i.updatedBy),
  );
  return items.map(({ updatedBy, ...rest }) => ({
    ...rest,
    updatedByName: updatedBy ? (names.get(updatedBy) ?? null) : null,
  }));
}

function outWithEditor<T>(section: ListSection, row: { updated_by: string | null }) {
  return { ...(section.out(row as never) as T), updatedBy: row.updated_by };
}

export async function listSectionItems<T>(ctx: ProfileContext, section: ListSection, departmentId: string) {
  const rows = await q.listItems(ctx.db, section.table, departmentId);
  return withEditors(
    ctx.db,
    rows.map((r) => outWithEditor<T>(section, r)),
  );
}

/** The legal bases the department's powers list (职权事项清单) cites, for ranking the articles it enforces. */
export async function powersListBases(db: Database, departmentId: string): Promise<string[]> {
  const rows = await q.listItems(db, 'agency_powers', departmentId);
  return rows.map((p) => p.legal_basis).filter(Boolean);
}

export async function getSectionItem<T>(ctx: ProfileContext, section: ListSection, departmentId: string, id: string) {
  const row = await q.findItem(ctx.db, section.table, departmentId, id);
  if (!row) throw new AppError(404, 'NOT_FOUND', `${section.noun}不存在`);
  return (await withEditors(ctx.db, [outWithEditor<T>(section, row)]))[0];
}

/** One page of the department's powers, filtered by category and by text in code or name. */
export async function searchPowers(
  ctx: ProfileContext,
  departmentId: string,
  filter: { q?: string; category?: PowerCategory; limit: number; offset: number },
) {
  const rows = await q.searchPowers(ctx.db, departmentId, { ...filter, limit: filter.limit + 1 });
  const items = await withEditors(
    ctx.db,
    rows.slice(0, filter.limit).map((r) => outWithEditor<Power>(POWERS, r)),
  );
  return { items, hasMore: rows.length > filter.limit };
}

export async function createSectionItem<T>(
  ctx: ProfileContext,
  actor: Actor,
  section: ListSection,
  departmentId: string,
  raw: Record<string, unknown>,
) {
  await assertCanEdit(ctx.db, actor, departmentId);
  const { values, errors } = validateFields(section.fields, raw);
  if (Object.keys(errors).length) invalid(errors);
  const item = await ctx.db.transaction().execute(async (trx) => {
    if ((await q.countItems(trx, section.table, departmentId)) >= MAX_ITEMS[section.section]) {
      throw new AppError(409, 'CONFLICT', `${section.title}最多 ${MAX_ITEMS[section.section]} 项`);
    }
    const now = ctx.clock.now();
    const { sortOrder, ...rest } = values;
    const row = await q
      .insertItem(trx, section.table, {
        ...toColumns(rest),
        sort_order: sortOrder ?? (await q.nextSortOrder(trx, section.table, departmentId)),
        department_id: departmentId,
        created_at: now,
        updated_at: now,
        updated_by: actor.id,
      } as Insertable<DB[typeof section.table]>)
      .catch((err) => (isUniqueViolation(err) ? codeTaken(values.code) : Promise.reject(err)));
    const item = section.out(row as never);
    await q.recordChange(trx, change(section, departmentId, row.id, 'created', section.summary(item), actor, now));
    return item;
  });
  return { ...(item as T), updatedByName: actor.displayName };
}

export async function updateSectionItem<T>(
  ctx: ProfileContext,
  actor: Actor,
  section: ListSection,
  departmentId: string,
  id: string,
  raw: Record<string, unknown>,
) {
  await assertCanEdit(ctx.db, actor, departmentId);
  const { values, errors } = validateFields(section.fields, raw);
  if (Object.keys(errors).length) invalid(errors);
  const item = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const { sortOrder, ...rest } = values;
    const row = await q
      .updateItem(trx, section.table, departmentId, id, {
        ...toColumns(rest),
        ...(sortOrder === null ? {} : { sort_order: Number(sortOrder) }),
        updated_at: now,
        updated_by: actor.id,
      })
      .catch((err) => (isUniqueViolation(err) ? codeTaken(values.code) : Promise.reject(err)));
    if (!row) throw new AppError(404, 'NOT_FOUND', `${section.noun}不存在`);
    const item = section.out(row as never);
    await q.recordChange(trx, change(section, departmentId, id, 'updated', section.summary(item), actor, now));
    return item;
  });
  return { ...(item as T), updatedByName: actor.displayName };
}

export async function deleteSectionItem(
  ctx: ProfileContext,
  actor: Actor,
  section: ListSection,
  departmentId: string,
  id: string,
) {
  await assertCanEdit(ctx.db, actor, departmentId);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await q.deleteItem(trx, section.table, departmentId, id);
    if (!row) throw new AppError(404, 'NOT_FOUND', `${section.noun}不存在`);
    const summary = section.summary(section.out(row as never));
    await q.recordChange(trx, change(section, departmentId, id, 'deleted', summary, actor, ctx.clock.now()));
  });
}

function change(
  section: ListSection | 'remedies',
  departmentId: string,
  itemId: string | null,
  action: 'created' | 'updated' | 'deleted',
  summary: string,
  actor: Actor,
  at: Date,
) {
  const name = section === 'remedies' ? section : section.section;
  return { departmentId, section: name, itemId, action, summary, actorId: actor.id, at };
}

/** The party's remedies (救济途径) as the department filled them in. */
export interface Remedies {
  reconsiderationOrgan: string;
  reconsiderationAddress: string | null;
  reconsiderationPhone: string | null;
  reconsiderationTimeLimit: string;
  courtName: string;
  courtAddress: string | null;
  courtPhone: string | null;
  litigationTimeLimit: string;
  notes: string | null;
  updatedAt: string;
}

export function remediesOut(r: RemediesRow): Remedies {
  return {
    reconsiderationOrgan: r.reconsideration_organ,
    reconsiderationAddress: r.reconsideration_address,
    reconsiderationPhone: r.reconsideration_phone,
    reconsiderationTimeLimit: r.reconsideration_time_limit,
    courtName: r.court_name,
    courtAddress: r.court_address,
    courtPhone: r.court_phone,
    litigationTimeLimit: r.litigation_time_limit,
    notes: r.notes,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What a new remedies form starts with: the time limits the two laws set. */
export const REMEDY_DEFAULTS = {
  reconsiderationTimeLimit: DEFAULT_RECONSIDERATION_LIMIT,
  litigationTimeLimit: DEFAULT_LITIGATION_LIMIT,
};

export async function getRemedies(ctx: ProfileContext, departmentId: string) {
  const row = await q.findRemedies(ctx.db, departmentId);
  if (!row) return null;
  const names = await q.userNames(ctx.db, [row.updated_by]);
  return { ...remediesOut(row), updatedByName: row.updated_by ? (names.get(row.updated_by) ?? null) : null };
}

export async function saveRemedies(
  ctx: ProfileContext,
  actor: Actor,
  departmentId: string,
  raw: Record<string, unknown>,
) {
  await assertCanEdit(ctx.db, actor, departmentId);
  const { values, errors } = validateFields(REMEDY_FIELDS, raw);
  if (Object.keys(errors).length) invalid(errors);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const saved = await q.upsertRemedies(trx, {
      ...(toColumns(values) as Omit<RemediesRow, 'department_id' | 'created_at' | 'updated_at' | 'updated_by'>),
      department_id: departmentId,
      created_at: now,
      updated_at: now,
      updated_by: actor.id,
    });
    await q.recordChange(
      trx,
      change('remedies', departmentId, null, 'updated', `复议机关 ${saved.reconsideration_organ}`, actor, now),
    );
    return saved;
  });
  return { ...remediesOut(row), updatedByName: actor.displayName };
}

/** The legal unit's overview: how far each section is filled in, and the latest changes with who made them. */
export async function profileOverview(ctx: ProfileContext, departmentId: string) {
  const [counts, changes] = await Promise.all([
    q.sectionCounts(ctx.db, departmentId),
    q.recentChanges(ctx.db, departmentId, 20),
  ]);
  return { counts, changes };
}
