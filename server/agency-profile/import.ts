import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { CsvSyntaxError, csvField, decodeUtf8, parseCsv } from './csv.js';
import { POWER_FIELDS, validateFields } from './fields.js';
import * as q from './queries.js';
import { assertCanEdit, MAX_ITEMS, type ProfileContext } from './service.js';
import { POWER_CATEGORY_LABELS, type PowerCategory, type PowerRow } from './tables.js';

export const IMPORT_HEADER = ['编码', '名称', '类别', '依据', '实施主体'] as const;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 3000;
/** Enough problems to fix a file in one go, few enough to read. */
const MAX_PROBLEMS = 50;

/** `merge` adds new codes and overwrites known ones; `replace` also deletes the powers the file does not list. */
export type ImportMode = 'merge' | 'replace';

export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  deleted: number;
}

const CSV_FIELDS = POWER_FIELDS.filter((f) => f.key !== 'sortOrder');

function refuse(problems: string[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? `（另有 ${problems.length - shown.length} 处未列出）` : '';
  throw new AppError(400, 'VALIDATION_FAILED', `文件有 ${problems.length} 处错误，未导入任何事项${more}`, {
    problems: shown,
  });
}

/** Reads and checks the whole file; every problem is reported with its line, nothing is written. */
export function readPowersCsv(content: Buffer | string) {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > MAX_IMPORT_BYTES) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  }
  const text = decodeUtf8(content);
  if (text === null) refuse(['文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入']);
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) refuse([err.message]);
    throw err;
  }
  const [header, ...body] = records;
  const names = header?.fields.map((f) => f.trim()) ?? [];
  if (names.length < 4 || names.length > 5 || names.some((n, i) => n !== IMPORT_HEADER[i])) {
    refuse([`第 ${header?.line ?? 1} 行：表头应为“${IMPORT_HEADER.join(',')}”（实施主体一列可省略）`]);
  }
  const data = body.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (data.length === 0) refuse(['文件中没有职权事项（表头之后没有数据行）']);
  if (data.length > MAX_IMPORT_ROWS) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `一次最多导入 ${MAX_IMPORT_ROWS} 项，文件有 ${data.length} 项`);
  }
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const powers = data.map((r) => {
    if (r.fields.length > names.length) problems.push(`第 ${r.line} 行：列数多于表头（含逗号的内容请加英文双引号）`);
    const [code, name, category, legalBasis, implementingUnit] = r.fields;
    const { values, errors } = validateFields(CSV_FIELDS, { code, name, category, legalBasis, implementingUnit });
    for (const message of Object.values(errors)) problems.push(`第 ${r.line} 行：${message}`);
    const key = String(values.code ?? '');
    const first = seen.get(key);
    if (key && first !== undefined) problems.push(`第 ${r.line} 行：编码 ${key} 与第 ${first} 行重复`);
    else if (key) seen.set(key, r.line);
    return {
      code: key,
      name: String(values.name ?? ''),
      category: values.category as PowerCategory,
      legalBasis: String(values.legalBasis ?? ''),
      implementingUnit: values.implementingUnit === null ? null : String(values.implementingUnit),
    };
  });
  if (problems.length) refuse(problems);
  return powers;
}

/** Imports a powers list (职权事项清单) from CSV, all or nothing, in file order. */
export async function importPowers(
  ctx: ProfileContext,
  actor: Actor,
  departmentId: string,
  content: Buffer | string,
  mode: ImportMode,
): Promise<ImportResult> {
  await assertCanEdit(ctx.db, actor, departmentId);
  const powers = readPowersCsv(content);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    // Serialises imports of one department, so two files cannot interleave their rows.
    await trx.selectFrom('departments').select('id').where('id', '=', departmentId).forUpdate().execute();
    const existing = new Set((await q.powerCodes(trx, departmentId)).map((p) => p.code));
    const inFile = new Set(powers.map((p) => p.code));
    const kept = mode === 'replace' ? 0 : [...existing].filter((c) => !inFile.has(c)).length;
    if (kept + powers.length > MAX_ITEMS.powers) {
      throw new AppError(
        409,
        'CONFLICT',
        `职权事项清单最多 ${MAX_ITEMS.powers} 项，导入后将有 ${kept + powers.length} 项`,
      );
    }
    const deleted = mode === 'replace' ? await q.deletePowersExcept(trx, departmentId, [...inFile]) : 0;
    const created = powers.filter((p) => !existing.has(p.code)).length;
    await q.upsertPowers(
      trx,
      powers.map((p, i) => ({
        department_id: departmentId,
        code: p.code,
        name: p.name,
        category: p.category,
        legal_basis: p.legalBasis,
        implementing_unit: p.implementingUnit,
        sort_order: Math.min(999999, (i + 1) * 10),
        created_at: now,
        updated_at: now,
        updated_by: actor.id,
      })),
    );
    const result = { rows: powers.length, created, updated: powers.length - created, deleted };
    await q.recordChange(trx, {
      departmentId,
      section: 'powers',
      itemId: null,
      action: 'imported',
      summary: `导入 ${result.rows} 项（新增 ${created}，更新 ${result.updated}${mode === 'replace' ? `，删除 ${deleted}` : ''}）`,
      actorId: actor.id,
      at: now,
    });
    return result;
  });
}

/** The department's powers as a CSV file in the import format (with a BOM, so Excel reads it as UTF-8). */
export function powersCsv(rows: Pick<PowerRow, 'code' | 'name' | 'category' | 'legal_basis' | 'implementing_unit'>[]) {
  const lines = rows.map((r) =>
    [r.code, r.name, POWER_CATEGORY_LABELS[r.category], r.legal_basis, r.implementing_unit ?? '']
      .map(csvField)
      .join(','),
  );
  return `\uFEFF${[IMPORT_HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}
