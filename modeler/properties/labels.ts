import type { DOCUMENT_TEMPLATES, TASK_ROLES } from '../../workflows/lint/elements.js';
import { STEP_NAMES, STEPS } from '../../workflows/lint/steps.js';

/** Chinese names of the values Fashen's extension takes. */
export const ROLE_LABELS: Record<(typeof TASK_ROLES)[number], string> = {
  officer: '承办人员（行政执法承办机构）',
  reviewer: '法制审核人员',
  chief: '机关负责人',
  legal_admin: '法制机构负责人/管理员',
};

/** The documents (文书) a user task can produce: the extension's DOCUMENT_TEMPLATES. */
export const DOCUMENT_TEMPLATE_LABELS: Record<(typeof DOCUMENT_TEMPLATES)[number], string> = {
  review_opinion: '法制审核意见书',
  correction_notice: '补正材料通知书',
  coordination_record: '协调意见',
  chief_decision: '负责人决定记录',
};

/** What a user task is in the review (`fashen:step`); the workbench's forms and the figures go by it. */
export const STEP_LABELS: Record<string, string> = Object.fromEntries(STEP_NAMES.map((s) => [s, STEPS[s].label]));

export { CATEGORY_LABELS } from '../../workflows/lint/vocabulary.js';

export const FIELD_TYPE_LABELS: Record<string, string> = {
  string: '单行文本',
  text: '多行文本',
  number: '数字',
  integer: '整数',
  boolean: '是/否',
  date: '日期',
  enum: '选项',
};

export const options = (labels: Record<string, string>, empty?: string) => [
  ...(empty === undefined ? [] : [{ value: '', label: empty }]),
  ...Object.entries(labels).map(([value, label]) => ({ value, label: `${label}（${value}）` })),
];
