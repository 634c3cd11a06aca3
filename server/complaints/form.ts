import { UUID } from '../infra/ids.js';
import type { NewComplaint } from './service.js';

/** The public form's fields as posted (strings; the radio may be missing). */
export type ComplaintForm = Partial<Record<keyof NewComplaint | '_csrf', string>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE = /^[0-9 +-]{5,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks the public form the way the API's schema does, with one Chinese message per field, so a refused form
 * keeps what the complainant typed and says beside each field what to change.
 */
export function readComplaintForm(form: ComplaintForm): { input?: NewComplaint; errors: Record<string, string> } {
  const v = (k: keyof ComplaintForm) => (form[k] ?? '').trim();
  const errors: Record<string, string> = {};
  if (!UUID.test(v('departmentId'))) errors.departmentId = '请选择被投诉的执法机关';
  if (v('about') !== 'act' && v('about') !== 'officer') errors.about = '请选择投诉举报的是执法行为还是执法人员';
  if (v('officerName').length > 50) errors.officerName = '执法人员姓名不能超过 50 个字';
  if (v('certificateNumber').length > 50) errors.certificateNumber = '执法证号不能超过 50 个字符';
  if (v('occurredOn') && !DATE.test(v('occurredOn'))) errors.occurredOn = '发生日期格式应为 年-月-日';
  const content = v('content');
  if (content.length < 10) errors.content = '请至少用 10 个字说明投诉举报的事实和请求';
  else if (content.length > 5000) errors.content = '投诉举报内容不能超过 5000 字';
  if (!v('name') || v('name').length > 50) errors.name = '请填写姓名（不超过 50 个字）';
  if (!PHONE.test(v('phone'))) errors.phone = '请填写有效的联系电话';
  if (v('email') && (!EMAIL.test(v('email')) || v('email').length > 200)) errors.email = '电子邮箱格式不正确';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    input: {
      departmentId: v('departmentId'),
      about: v('about') as NewComplaint['about'],
      officerName: v('officerName') || undefined,
      certificateNumber: v('certificateNumber') || undefined,
      occurredOn: v('occurredOn') || undefined,
      content,
      name: v('name'),
      phone: v('phone'),
      email: v('email') || undefined,
    },
  };
}
