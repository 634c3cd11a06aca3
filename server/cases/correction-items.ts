import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { FieldProblem, RuleTask } from '../tasks/step-rules.js';
import * as q from './queries.js';
import type { CaseRow } from './tables.js';

/**
 * The items of a 补正材料通知书, as the 受理审查 form's `missing` field lists them: one item per line, written
 * `材料名称：补正要求` (or with an ASCII colon; the first colon splits, so a requirement may hold colons of its own).
 * A line may also list several items separated by ；, as the field was filled before it took requirements: when
 * every part of it has a colon, or none has, each part is an item; otherwise the whole line is one item whose
 * requirement holds the semicolons.
 */
export interface CorrectionItem {
  name: string;
  /** As the reviewer wrote it; '' when the line states none. */
  requirement: string;
}

const COLON = /[：:]/;

function itemOf(part: string): CorrectionItem {
  const at = part.search(COLON);
  if (at < 0) return { name: part.trim(), requirement: '' };
  return { name: part.slice(0, at).trim(), requirement: part.slice(at + 1).trim() };
}

export function parseCorrectionItems(missing: string): CorrectionItem[] {
  return missing
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .flatMap((line) => {
      const parts = line
        .split(/[；;]/)
        .map((p) => p.trim())
        .filter(Boolean);
      const withColon = parts.filter((p) => COLON.test(p)).length;
      return withColon === 0 || withColon === parts.length ? parts.map(itemOf) : [itemOf(line)];
    });
}

/**
 * What the case shows as submitted, by name: the packet's declared materials, its evidence and the files uploaded
 * to it (their names without the extension).
 */
export async function submittedMaterials(db: Kysely<DB> | Transaction<DB>, c: CaseRow): Promise<string[]> {
  const files = await q.listAttachments(db, c.id);
  return [
    ...(c.packet.materials ?? []),
    ...(c.packet.evidence ?? []).map((e) => e.name),
    ...files.map((f) => f.file_name.replace(/\.[A-Za-z0-9]{1,5}$/, '')),
  ];
}

const normal = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s《》〈〉<>“”"‘’'「」『』【】[\]]/g, '')
    .toLowerCase();

/**
 * The submitted material a listed name refers to, if it may be one. Names are free text on both sides (the packet's
 * "其他材料" lines, the reviewer's list, file names), so equal names cannot be relied on: a name that contains the
 * other, or is contained in it, counts as the same material. Erring this way never lets the notice say 未提交 of
 * something the packet holds; at worst the reviewer is asked to state a requirement they could have left out.
 */
export function submittedMatch(name: string, submitted: readonly string[]): { entry: string; exact: boolean } | null {
  const n = normal(name);
  if (!n) return null;
  let near: string | null = null;
  for (const entry of submitted) {
    const e = normal(entry);
    if (!e) continue;
    if (e === n) return { entry, exact: true };
    const shorter = e.length < n.length ? e : n;
    // A one-character name ("1" of "1.pdf") is contained in too many to mean anything.
    if (!near && shorter.length >= 2 && (e.includes(n) || n.includes(e))) near = entry;
  }
  return near ? { entry: near, exact: false } : null;
}

/** What the notice says of a line that states no requirement, for a material the case does not show. */
export const NOT_SUBMITTED = '未提交，请补充提交';
/** The same for a material the case does show: reached only when no 受理审查 rule refused the line (see below). */
export const SUBMITTED_UNSTATED = '送审材料中已有该材料，请与审查机构核对需补正之处';
/** The row of a notice whose flow asked for completion without listing anything. */
const UNLISTED: CorrectionItem = { name: '（未列明）', requirement: '审查机构未列明需补正的材料，请与审查机构核对' };

/** The rows of the notice's table: each with the reviewer's requirement, or what the case lets one say truly. */
export function correctionItems(missing: string, submitted: readonly string[]): CorrectionItem[] {
  const items = parseCorrectionItems(missing)
    .filter((i) => i.name)
    .map((i) => ({
      name: i.name,
      requirement: i.requirement || (submittedMatch(i.name, submitted) ? SUBMITTED_UNSTATED : NOT_SUBMITTED),
    }));
  return items.length ? items : [UNLISTED];
}

const FORMAT = '（格式：材料名称：补正要求）';

/**
 * 受理审查's check of the list: every line names a material, and a material the case already shows says what is
 * wrong with it, since the notice cannot say it is missing. One message for the field, naming every such line.
 */
export function correctionProblems(missing: string, submitted: readonly string[]): FieldProblem[] {
  const items = parseCorrectionItems(missing);
  const unnamed = items.filter((i) => !i.name).length;
  const exact: string[] = [];
  const near: string[] = [];
  for (const i of items) {
    if (!i.name || i.requirement) continue;
    const match = submittedMatch(i.name, submitted);
    if (match?.exact) exact.push(`《${i.name}》`);
    else if (match) near.push(`《${i.name}》可能即送审材料中的《${match.entry}》`);
  }
  const parts: string[] = [];
  if (unnamed) parts.push(`有 ${unnamed} 项未写明材料名称`);
  if (exact.length) parts.push(`${exact.join('、')}已在送审材料中`);
  parts.push(...near);
  if (!parts.length) return [];
  const ask = exact.length || near.length ? '，请写明其需补正之处' : '，请补充';
  const notSubmitted = near.length ? '；确未提交的，请写明“未提交”' : '';
  return [{ field: 'missing', message: `${parts.join('；')}${ask}${FORMAT}${notSubmitted}` }];
}

/** What the case of a task shows as submitted; null for a task that serves no case. */
export type SubmittedOfTask = (task: RuleTask | null) => Promise<readonly string[] | null>;

export function caseSubmissions(db: Kysely<DB>): SubmittedOfTask {
  return async (task) => {
    if (!task) return null;
    const c = await q.findCaseByInstance(db, task.instanceId);
    return c ? submittedMaterials(db, c) : null;
  };
}
