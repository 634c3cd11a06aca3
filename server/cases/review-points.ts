import { createHash } from 'node:crypto';
import { type CONCLUSIONS, type FINDINGS, REVIEW_POINTS as OPINION_POINTS } from '../documents/review-kinds.js';
import type { OpinionFinding } from './tables.js';

/** One point of a review: a form's `finding_<key>` / `note_<key>`, and the label the opinion states. */
export interface ReviewPoint {
  key: string;
  label: string;
}

/**
 * The default points (国办发〔2018〕118号 审核内容), as the written opinion lists and words them
 * (documents/review-kinds.ts): the nine of DOMAIN.md, 执法是否超越执法机关法定权限 after the discretion benchmark as
 * 118号 lists it, and 其他 (118号's closing 等) last. The first ten are the law's own and no department may drop
 * them; 其他 is practice and may be.
 */
export const REVIEW_POINTS: readonly ReviewPoint[] = Object.freeze(
  OPINION_POINTS.map(({ key, name }) => Object.freeze({ key, label: name })),
);

/** The default points a department may mark as not applicable to it (the law's own cannot be). */
export const OPTIONAL_POINTS: readonly string[] = ['other'];
export const OTHER_POINT = 'other';

/**
 * The form key of an agency's own point, from its label: the same label keeps its key when the list is
 * reordered or edited around it (a draft answer stays with its point), and it can never be a default's key.
 */
export function ownPointKey(label: string): string {
  return `x_${createHash('sha256').update(label.trim()).digest('hex').slice(0, 10)}`;
}

/**
 * How a point is answered. The crime point asks a question rather than a conformity (是否涉嫌犯罪需移送), so it is
 * answered 否 / 是（需移送）; opinions signed before keep their 符合/不符合/不适用 and read as they were.
 */
export const FINDING_LABELS = {
  conform: '符合',
  nonconform: '不符合',
  not_applicable: '不适用',
  no_crime: '否',
  transfer_required: '是（需移送）',
} as const satisfies Record<string, (typeof FINDINGS)[number]>;

export const CRIME_POINT = 'crime_transfer';

export const CONCLUSION_LABELS = {
  approve: '同意',
  approve_with_changes: '修改后同意',
  return: '退回补正',
  disapprove: '不同意',
  transfer: '建议移送司法机关',
} as const satisfies Record<string, (typeof CONCLUSIONS)[number]>;

export const CATEGORY_LABELS = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收征用',
} as const;

/** The chief's choices, worded as the decision form offers them. */
export const CHIEF_DECISION_LABELS = {
  approve: '同意作出决定',
  approve_modified: '修改后作出决定',
  reject: '不予作出决定',
  transfer: '移送司法机关',
} as const;

/** How a coordination (协调) ends: agreement either way, or the disagreement goes to the chief. */
export const COORDINATION_LABELS = {
  escalate: '未达成一致（报请负责人决定）',
  agree_with_review: '达成一致（承办机构采纳法制审核意见）',
  agree_with_handling: '达成一致（法制审核机构同意承办机构意见）',
} as const;

/** Form values are the Chinese labels users pick; the database keeps the codes. */
export function codeOf<T extends Record<string, string>>(labels: T, value: unknown): keyof T {
  const hit = Object.entries(labels).find(([code, label]) => value === label || value === code);
  if (!hit) throw new Error(`无法识别的取值：${String(value)}`);
  return hit[0] as keyof T;
}

/**
 * Reads the findings of `points` (the list the case is reviewed against) out of a review task's form values
 * (finding_<key>, note_<key>); each keeps the label it was answered under, so a signed opinion reads as signed.
 */
export function findingsFrom(values: Record<string, unknown>, points: readonly ReviewPoint[]): OpinionFinding[] {
  return points.map((p) => ({
    point: p.key,
    label: p.label,
    finding: codeOf(FINDING_LABELS, values[`finding_${p.key}`] ?? (p.key === CRIME_POINT ? '否' : '不适用')),
    note: String(values[`note_${p.key}`] ?? ''),
  }));
}

/** What a department (or one catalogue item of it) adds to or drops from the default points. */
export interface PointListConfig {
  /** Agency-specific points, placed before 其他 in the given order. */
  points: ReviewPoint[];
  /** Default points marked not applicable to the department (only OPTIONAL_POINTS). */
  omitted: string[];
}

/**
 * The points a case is reviewed against: the defaults, less what the department omits, with the department's
 * own points and then the catalogue item's before 其他. A key given twice counts once (the first).
 */
export function resolvePoints(department?: PointListConfig | null, item?: PointListConfig | null): ReviewPoint[] {
  const omitted = new Set([...(department?.omitted ?? []), ...(item?.omitted ?? [])]);
  const own = [...(department?.points ?? []), ...(item?.points ?? [])];
  const list: ReviewPoint[] = [];
  const seen = new Set<string>();
  const push = (p: ReviewPoint) => {
    if (seen.has(p.key)) return;
    seen.add(p.key);
    list.push({ key: p.key, label: p.label });
  };
  for (const p of REVIEW_POINTS) {
    if (p.key === OTHER_POINT) for (const o of own) push(o);
    if (!omitted.has(p.key) || !OPTIONAL_POINTS.includes(p.key)) push(p);
  }
  return list;
}
