import type { DepartmentStaffing } from './stats-queries.js';

export const REVIEWER_KIND_LABELS: Record<string, string> = {
  staff: '在编人员',
  legal_adviser: '法律顾问',
  public_lawyer: '公职律师',
};

export const STAFFING_STATE_LABELS: Record<DepartmentStaffing['state'], string> = {
  pass: '达标',
  fail: '未达标',
  unknown: '未登记执法人员数',
};

export const DEPARTMENT_KIND_LABELS: Record<string, string> = {
  agency: '行政执法机关',
  justice_bureau: '司法行政部门',
};

/** A staffing row as the pages show it: the verdict in words and what is missing. */
export function staffingView(s: DepartmentStaffing) {
  return {
    ...s,
    stateLabel: STAFFING_STATE_LABELS[s.state],
    note:
      s.state === 'fail'
        ? `还需 ${s.shortfall} 名`
        : s.state === 'unknown'
          ? '请在“系统管理 › 执法机关”中登记执法人员数'
          : '',
  };
}
