import type { Insertable } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { CsvSyntaxError, csvField, decodeUtf8, parseCsv } from './csv.js';
import { type FieldValues, validateFields } from './fields.js';
import { headerLine, type ImportSpec, omittableNote } from './import-specs.js';
import type { ItemTable } from './queries.js';
import * as q from './queries.js';
import { columnOf, toColumns } from './sections.js';
import { assertCanEdit, MAX_ITEMS, type ProfileContext } from './service.js';
import type { AgencyPowersTable } from './tables.js';
import { POWER_CATEGORY_LABELS, type PowerCategory } from './vocabulary.js';

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 3000;
/** Enough problems to fix a file in one go, few enough to read. */
const MAX_PROBLEMS = 50;

/**
 * `merge` overwrites the items whose key the file lists and adds the others; `replace` also deletes the items
 * the file does not list, so the section becomes exactly the file.
 */
export type ImportMode = 'merge' | 'replace';

export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  deleted: number;
}

/** One line of a file, checked: its field values (by field key, without the sort order) and its natural key. */
export interface ImportRow {
  line: number;
  key: string;
  values: FieldValues;
}

/** Lines a file of the section may hold: the row cap, and never more than the section may keep. */
export const maxImportRows = (spec: ImportSpec) => Math.min(MAX_IMPORT_ROWS, MAX_ITEMS[spec.section.section]);

function refuse(problems: string[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? `（另有 ${problems.length - shown.length} 处未列出）` : '';
  throw new AppError(400, 'VALIDATION_FAILED', `文件有 ${problems.length} 处错误，未导入任何事项${more}`, {
    problems: shown,
  });
}

function records(content: Buffer | string) {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > MAX_IMPORT_BYTES) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  }
  const text = decodeUtf8(content);
  if (text === null) refuse(['文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入']);
  try {
    return parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) refuse([err.message]);
    throw err;
  }
}

/** Reads and checks a whole file of the section; every problem is reported with its line, nothing is written. */
export function readSectionCsv(spec: ImportSpec, content: Buffer | string): ImportRow[] {
  const [header, ...body] = records(content);
  const names = header?.fields.map((f) => f.trim()) ?? [];
  const { columns } = spec;
  if (
    names.length < spec.minColumns ||
    names.length > columns.length ||
    names.some((n, i) => n !== columns[i].header)
  ) {
    const note = omittableNote(spec);
    refuse([`第 ${header?.line ?? 1} 行：表头应为“${headerLine(spec)}”${note ? `（${note}）` : ''}`]);
  }
  const data = body.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const noun = spec.section.noun;
  if (data.length === 0) refuse([`文件中没有${noun}（表头之后没有数据行）`]);
  const cap = maxImportRows(spec);
  if (data.length > cap) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `一次最多导入 ${cap} 项，文件有 ${data.length} 项`);
  }
  const fields = columns.map((c) => c.field);
  const keyLabel = spec.keyHeader;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const rows = data.map((r): ImportRow => {
    if (r.fields.length > names.length) problems.push(`第 ${r.line} 行：列数多于表头（含逗号的内容请加英文双引号）`);
    const raw = Object.fromEntries(columns.map((c, i) => [c.field.key, r.fields[i]]));
    const { values, errors } = validateFields(fields, raw);
    for (const message of Object.values(errors)) problems.push(`第 ${r.line} 行：${message}`);
    const key = errors[spec.key.key] ? '' : String(values[spec.key.key] ?? '');
    const first = seen.get(key);
    const named = spec.key.kind === 'code' ? `${keyLabel} ${key} ` : `${keyLabel}“${key}”`;
    if (key && first !== undefined) problems.push(`第 ${r.line} 行：${named}与第 ${first} 行重复`);
    else if (key) seen.set(key, r.line);
    return { line: r.line, key, values };
  });
  if (problems.length) refuse(problems);
  return rows;
}

/**
 * Imports a list section from CSV, all or nothing, in file order (the sort order follows the file). Imports of
 * one department are serialised by a row lock on the department; one change row records the import.
 */
export async function importSection(
  ctx: ProfileContext,
  actor: Actor,
  spec: ImportSpec,
  departmentId: string,
  content: Buffer | string,
  mode: ImportMode,
): Promise<ImportResult> {
  await assertCanEdit(ctx.db, actor, departmentId);
  const rows = readSectionCsv(spec, content);
  const { section } = spec;
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    // Serialises imports of one department, so two files cannot interleave their rows.
    await trx.selectFrom('departments').select('id').where('id', '=', departmentId).forUpdate().execute();
    // In list order, so that of several items sharing a key (possible outside powers) the first is matched.
    const existing = await q.itemKeys(trx, section.table, columnOf(spec.key.key), departmentId);
    const byKey = new Map<string, string>();
    for (const e of existing) if (!byKey.has(e.key)) byKey.set(e.key, e.id);
    const matched = rows.map((r) => byKey.get(r.key));
    const matchedIds = matched.filter((id): id is string => id !== undefined);
    const total = (mode === 'replace' ? 0 : existing.length - matchedIds.length) + rows.length;
    const max = MAX_ITEMS[section.section];
    if (total > max) throw new AppError(409, 'CONFLICT', `${section.title}最多 ${max} 项，导入后将有 ${total} 项`);

    const deleted = mode === 'replace' ? await q.deleteItemsExcept(trx, section.table, departmentId, matchedIds) : 0;
    const stamped = rows.map((r, i) => ({
      id: matched[i],
      columns: { ...toColumns(r.values), sort_order: Math.min(999999, (i + 1) * 10) },
    }));
    const inserted = (columns: Record<string, unknown>) => ({
      ...columns,
      department_id: departmentId,
      created_at: now,
      updated_at: now,
      updated_by: actor.id,
    });
    if (section.section === 'powers') {
      // The code is unique per department: one upsert adds new codes and overwrites known ones.
      await q.upsertPowers(
        trx,
        stamped.map((s) => inserted(s.columns) as Insertable<AgencyPowersTable>),
      );
    } else {
      const toUpdate = stamped.filter((s): s is typeof s & { id: string } => s.id !== undefined);
      await q.updateItemsById(trx, section.table, departmentId, toUpdate, { at: now, by: actor.id });
      const toInsert = stamped.filter((s) => s.id === undefined);
      await q.insertItems(
        trx,
        section.table,
        toInsert.map((s) => inserted(s.columns) as Insertable<DB[ItemTable]>),
      );
    }
    const created = matched.filter((id) => id === undefined).length;
    const result = { rows: rows.length, created, updated: rows.length - created, deleted };
    await q.recordChange(trx, {
      departmentId,
      section: section.section,
      itemId: null,
      action: 'imported',
      summary: `导入 ${result.rows} 项（新增 ${created}，更新 ${result.updated}${mode === 'replace' ? `，删除 ${deleted}` : ''}）`,
      actorId: actor.id,
      at: now,
    });
    return result;
  });
}

/**
 * A section's items as a CSV file in its import format: UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF
 * between records, every column written (empty for an empty optional field). Line breaks inside text fields
 * are kept in quotes and read back unchanged by the import.
 */
export function sectionCsv(spec: ImportSpec, rows: Record<string, unknown>[]): string {
  const lines = rows.map((row) =>
    spec.columns
      .map(({ field }) => {
        const v = row[columnOf(field.key)];
        if (v === null || v === undefined) return '';
        return csvField(field.kind === 'category' ? POWER_CATEGORY_LABELS[v as PowerCategory] : String(v));
      })
      .join(','),
  );
  return `\uFEFF${[headerLine(spec), ...lines].join('\r\n')}\r\n`;
}
