import type { CertificateInput } from '../../identity/account-queries.js';
import { ROLES, type Role, type UsersTable } from '../../identity/directory.js';
import { tryDayNumber } from '../../workdays/days.js';

/** A form's body as @fastify/formbody gives it: repeated names become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;
/** Messages keyed by field name, shown next to each field. */
export type FieldErrors = Record<string, string>;

export const REVIEWER_KINDS = ['staff', 'legal_adviser', 'public_lawyer'] as const;
type ReviewerKind = NonNullable<UsersTable['reviewer_kind']>;

export function field(body: FormBody, name: string): string {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

export function fields(body: FormBody, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && tryDayNumber(s) !== undefined;

export interface ProfileValues {
  displayName: string;
  roles: Role[];
  reviewerKind: string;
  position: string;
  certNumber: string;
  certDomain: string;
  certFrom: string;
  certUntil: string;
  qualNumber: string;
  qualDate: string;
  firstTime: string;
}

/** The fields a user has in both the create and the edit form: name, roles, reviewer kind, certificate. */
export function parseProfile(body: FormBody, errors: FieldErrors) {
  const values: ProfileValues = {
    displayName: field(body, 'displayName'),
    roles: fields(body, 'roles').filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    reviewerKind: field(body, 'reviewerKind'),
    position: field(body, 'position'),
    certNumber: field(body, 'certNumber'),
    certDomain: field(body, 'certDomain'),
    certFrom: field(body, 'certFrom'),
    certUntil: field(body, 'certUntil'),
    qualNumber: field(body, 'qualNumber'),
    qualDate: field(body, 'qualDate'),
    firstTime: field(body, 'firstTime') === '1' ? '1' : '',
  };
  if (!values.displayName) errors.displayName = '请填写姓名';
  else if (values.displayName.length > 64) errors.displayName = '姓名不能超过 64 个字';
  if (values.roles.length === 0) errors.roles = '请至少选择一个角色';
  if (values.position.length > 32) errors.position = '职务不能超过 32 个字';
  let reviewerKind: ReviewerKind | null = null;
  if (values.roles.includes('reviewer')) {
    reviewerKind = (REVIEWER_KINDS as readonly string[]).includes(values.reviewerKind)
      ? (values.reviewerKind as ReviewerKind)
      : 'staff';
  }
  const certGiven = [values.certNumber, values.certDomain, values.certFrom, values.certUntil].some(Boolean);
  let certificate: CertificateInput | null = null;
  if (certGiven || values.roles.includes('officer')) {
    if (!values.certNumber)
      errors.certNumber = values.roles.includes('officer') ? '承办人须登记执法证号' : '请填写执法证号';
    if (!values.certDomain) errors.certDomain = '请填写执法领域';
    if (!isDate(values.certFrom)) errors.certFrom = '请填写有效期起始日期';
    if (!isDate(values.certUntil)) errors.certUntil = '请填写有效期截止日期';
    else if (isDate(values.certFrom) && values.certUntil < values.certFrom)
      errors.certUntil = '截止日期不能早于起始日期';
    certificate = {
      number: values.certNumber,
      domain: values.certDomain,
      validFrom: values.certFrom,
      validUntil: values.certUntil,
    };
  }
  // 法律职业资格 (行政处罚法 第五十八条第二款): number and date together, or neither.
  if (values.qualNumber.length > 64) errors.qualNumber = '证书编号不能超过 64 个字符';
  if (values.qualNumber && !isDate(values.qualDate)) errors.qualDate = '请填写取得法律职业资格的日期';
  if (!values.qualNumber && values.qualDate) errors.qualNumber = '请填写法律职业资格证书编号';
  const legalQualification = values.qualNumber ? { number: values.qualNumber, date: values.qualDate } : null;
  return { values, reviewerKind, certificate, legalQualification, firstTimeReviewer: values.firstTime === '1' };
}

/** A new password typed twice; an error message or null. */
export function passwordProblem(password: string, again: string): string | null {
  if (password.length < 10) return '密码至少 10 位';
  if (password.length > 256) return '密码不能超过 256 位';
  if (password !== again) return '两次输入的密码不一致';
  return null;
}

export interface DepartmentValues {
  code: string;
  name: string;
  kind: string;
  staff: string;
  abbr: string;
  /** 执法系统 (市场监管系统 …): the shared reviewer pool lends within one system. */
  system: string;
}

/** A department's form (create: with code and kind); the values to store, or errors by field. */
export function parseDepartment(body: FormBody, creating: boolean, errors: FieldErrors) {
  const values: DepartmentValues = {
    code: field(body, 'code'),
    name: field(body, 'name'),
    kind: field(body, 'kind') || 'agency',
    staff: field(body, 'staff'),
    abbr: field(body, 'abbr'),
    system: field(body, 'system'),
  };
  if (creating && !/^[A-Za-z0-9_-]{2,32}$/.test(values.code)) {
    errors.code = '机关代码为 2 到 32 位字母、数字、下划线或连字符';
  }
  if (creating && values.kind !== 'agency' && values.kind !== 'justice_bureau') errors.kind = '请选择机关类型';
  if (!values.name) errors.name = '请填写机关名称';
  else if (values.name.length > 100) errors.name = '机关名称不能超过 100 个字';
  const staff = Number(values.staff);
  if (!/^\d{1,7}$/.test(values.staff) || !Number.isSafeInteger(staff)) errors.staff = '请填写执法人员数（非负整数）';
  if (values.abbr && (values.abbr.length > 20 || /[\s〔〕[\]]/.test(values.abbr))) {
    errors.abbr = '机关代字不超过 20 个字，且不含空格和〔〕[]';
  }
  if (values.system.length > 50) errors.system = '执法系统不能超过 50 个字';
  return {
    values,
    department: {
      enforcementSystem: values.system || null,
      code: values.code,
      name: values.name,
      kind: values.kind as 'agency' | 'justice_bureau',
      enforcementStaffCount: staff,
      abbreviation: values.abbr || null,
    },
  };
}
