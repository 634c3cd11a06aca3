import { CsvSyntaxError, csvField, decodeUtf8, parseCsv } from '../agency-profile/csv.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { type BenchmarkItem, type BenchmarkItemInput, type BenchmarkRange, validateItem } from './model.js';
import * as q from './queries.js';
import { assertCanEdit, type DiscretionContext, MAX_ITEMS } from './service.js';
import { CIRCUMSTANCE_LABELS, codeFromLabel, RANGE_KIND_LABELS, type RangeKind } from './vocabulary.js';

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** Lines a file may hold: five circumstances for every item a department may keep. */
export const MAX_IMPORT_LINES = 5 * MAX_ITEMS;
const MAX_PROBLEMS = 50;

/** One line per circumstance of an item; the item's own columns repeat on each of its lines. */
export const COLUMNS = ['编码', '违法行为', '法律法规', '条款', '情节', '幅度类型', '下限', '上限', '说明'] as const;
/** 说明 may be left out. */
const MIN_COLUMNS = 8;
export const HEADER = COLUMNS.join(',');
export const EXAMPLE = [
  HEADER,
  'SC-001,生产、销售不符合保障人身、财产安全的国家标准、行业标准的产品,中华人民共和国产品质量法,第四十九条,从轻,货值金额倍数,1,1.5,',
  'SC-001,生产、销售不符合保障人身、财产安全的国家标准、行业标准的产品,中华人民共和国产品质量法,第四十九条,一般,货值金额倍数,1.5,2.5,',
  'SC-001,生产、销售不符合保障人身、财产安全的国家标准、行业标准的产品,中华人民共和国产品质量法,第四十九条,从重,货值金额倍数,2.5,3,',
  'JG-002,未按规定明码标价,,,不予处罚,不予处罚,,,"首次违法且及时改正，危害后果轻微"',
  'JG-002,未按规定明码标价,,,一般,罚款金额（元）,"1,000","5,000",',
];
export const VALUES_NOTE = `情节为：${Object.values(CIRCUMSTANCE_LABELS).join('、')}；幅度类型为：${Object.values(
  RANGE_KIND_LABELS,
).join('、')}（“不予处罚”情节的幅度类型可不填，也不填上下限）。同一编码的各行，违法行为和依据应相同。`;

export type ImportMode = 'merge' | 'replace';
export interface ImportResult {
  items: number;
  lines: number;
  created: number;
  updated: number;
  deleted: number;
}

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

/** A bound as written (1,000 or 1.5); null when blank, NaN when it is no number. */
function bound(text: string): number | null {
  const t = text.trim().replace(/[,，]/g, '');
  if (!t) return null;
  return /^[0-9]+(\.[0-9]+)?$/.test(t) ? Number(t) : Number.NaN;
}

interface ItemLines {
  first: number;
  lines: Map<string, number>;
  input: BenchmarkItemInput;
}

/** Reads and checks a whole file: every problem with its line number; nothing is written if there is one. */
export function readBenchmarkCsv(content: Buffer | string): BenchmarkItemInput[] {
  const [header, ...body] = records(content);
  const names = header?.fields.map((f) => f.trim()) ?? [];
  if (names.length < MIN_COLUMNS || names.length > COLUMNS.length || names.some((n, i) => n !== COLUMNS[i])) {
    refuse([`第 ${header?.line ?? 1} 行：表头应为“${HEADER}”（说明一列可省略）`]);
  }
  const data = body.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (data.length === 0) refuse(['文件中没有裁量基准（表头之后没有数据行）']);
  if (data.length > MAX_IMPORT_LINES) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `一次最多导入 ${MAX_IMPORT_LINES} 行，文件有 ${data.length} 行`);
  }
  const problems: string[] = [];
  const items = new Map<string, ItemLines>();
  for (const r of data) {
    const at = `第 ${r.line} 行：`;
    if (r.fields.length > names.length) problems.push(`${at}列数多于表头（含逗号的内容请加英文双引号）`);
    const [code, violation, law, article, circumstanceText, kindText, minText, maxText, note] = COLUMNS.map((_, i) =>
      (r.fields[i] ?? '').trim(),
    );
    const circumstance = codeFromLabel(CIRCUMSTANCE_LABELS, circumstanceText);
    if (!circumstance) {
      problems.push(`${at}情节“${circumstanceText}”无法识别，应为${Object.values(CIRCUMSTANCE_LABELS).join('、')}之一`);
      continue;
    }
    const kind: RangeKind | undefined =
      circumstance === 'exempt' && !kindText ? 'none' : codeFromLabel(RANGE_KIND_LABELS, kindText);
    if (!kind) {
      problems.push(`${at}幅度类型“${kindText}”无法识别，应为${Object.values(RANGE_KIND_LABELS).join('、')}之一`);
      continue;
    }
    const range: BenchmarkRange = { circumstance, kind, min: bound(minText), max: bound(maxText), note: note || null };
    const line = { code, violation, basisLaw: law || null, basisArticle: article || null, ranges: [range] };
    const { errors } = validateItem(line);
    for (const message of Object.values(errors)) problems.push(`${at}${message}`);
    if (errors.code) continue;
    const known = items.get(code);
    if (!known) {
      items.set(code, { first: r.line, lines: new Map([[circumstance, r.line]]), input: line });
      continue;
    }
    const same = known.input;
    if (same.violation !== violation || same.basisLaw !== line.basisLaw || same.basisArticle !== line.basisArticle) {
      problems.push(`${at}编码 ${code} 的违法行为或依据与第 ${known.first} 行不一致`);
    }
    const earlier = known.lines.get(circumstance);
    if (earlier !== undefined) {
      problems.push(`${at}编码 ${code} 的“${CIRCUMSTANCE_LABELS[circumstance]}”情节与第 ${earlier} 行重复`);
      continue;
    }
    known.lines.set(circumstance, r.line);
    same.ranges.push(range);
  }
  if (problems.length) refuse(problems);
  return [...items.values()].map((i) => validateItem(i.input).value);
}

/**
 * Imports a benchmark from CSV, all or nothing: `merge` overwrites the items whose code the file lists (with
 * exactly the file's circumstances) and adds the others; `replace` also deletes the items the file does not list.
 * Imports of one department are serialised by a row lock on the department; one change row records the import.
 */
export async function importBenchmark(
  ctx: DiscretionContext,
  actor: Actor,
  departmentId: string,
  content: Buffer | string,
  mode: ImportMode,
): Promise<ImportResult> {
  await assertCanEdit(ctx.db, actor, departmentId);
  const items = readBenchmarkCsv(content);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await trx.selectFrom('departments').select('id').where('id', '=', departmentId).forUpdate().execute();
    const existing = new Map((await q.itemCodes(trx, departmentId)).map((e) => [e.code, e.id]));
    const listed = new Set(items.map((i) => i.code));
    const stale = [...existing].filter(([code]) => !listed.has(code));
    const total = (mode === 'replace' ? 0 : stale.length) + items.length;
    if (total > MAX_ITEMS) throw new AppError(409, 'CONFLICT', `裁量基准最多 ${MAX_ITEMS} 项，导入后将有 ${total} 项`);
    if (mode === 'replace') for (const [, id] of stale) await q.deleteItem(trx, departmentId, id);
    let created = 0;
    for (const [i, item] of items.entries()) {
      const id = existing.get(item.code);
      if (!id) created++;
      await q.saveItem(
        trx,
        departmentId,
        { ...item, sortOrder: Math.min(999999, (i + 1) * 10) },
        {
          at: now,
          by: actor.id,
        },
        id,
      );
    }
    const deleted = mode === 'replace' ? stale.length : 0;
    const lines = items.reduce((n, i) => n + i.ranges.length, 0);
    const result = { items: items.length, lines, created, updated: items.length - created, deleted };
    await q.recordChange(trx, {
      departmentId,
      itemId: null,
      code: null,
      action: 'imported',
      summary: `导入 ${result.items} 项（新增 ${created}，更新 ${result.updated}${deleted ? `，删除 ${deleted}` : ''}）`,
      after: items,
      actorId: actor.id,
      at: now,
    });
    return result;
  });
}

/** The benchmark as a file in the import format: UTF-8 with a BOM (for Excel), CRLF, one line per circumstance. */
export function benchmarkCsv(items: BenchmarkItem[]): string {
  const lines = items.flatMap((i) =>
    i.ranges.map((r) =>
      [
        i.code,
        i.violation,
        i.basisLaw ?? '',
        i.basisArticle ?? '',
        CIRCUMSTANCE_LABELS[r.circumstance],
        RANGE_KIND_LABELS[r.kind],
        r.min === null ? '' : String(r.min),
        r.max === null ? '' : String(r.max),
        r.note ?? '',
      ]
        .map(csvField)
        .join(','),
    ),
  );
  return `\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`;
}
