import type { OpinionFinding } from './tables.js';

/** The nine points a reviewer checks (DOMAIN.md §1 审核内容), in the order of the written opinion. */
export const REVIEW_POINTS = [
  { key: 'subject', label: '执法主体合法' },
  { key: 'personnel', label: '执法人员合法（持有有效执法证）' },
  { key: 'procedure', label: '执法程序合法' },
  { key: 'facts', label: '案件事实清楚' },
  { key: 'evidence', label: '证据合法充分' },
  { key: 'law', label: '适用法律、法规、规章准确' },
  { key: 'discretion', label: '裁量基准运用适当' },
  { key: 'documents', label: '执法文书完备规范' },
  { key: 'crime_transfer', label: '涉嫌犯罪移送' },
] as const;

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
} as const;

export const CRIME_POINT = 'crime_transfer';

export const CONCLUSION_LABELS = {
  approve: '同意',
  approve_with_changes: '修改后同意',
  return: '退回补正',
  disapprove: '不同意',
  transfer: '建议移送司法机关',
} as const;

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

/** Reads the nine findings out of a review task's form values (finding_<key>, note_<key>). */
export function findingsFrom(values: Record<string, unknown>): OpinionFinding[] {
  return REVIEW_POINTS.map((p) => ({
    point: p.key,
    label: p.label,
    finding: codeOf(FINDING_LABELS, values[`finding_${p.key}`] ?? (p.key === CRIME_POINT ? '否' : '不适用')),
    note: String(values[`note_${p.key}`] ?? ''),
  }));
}
