import { describe, expect, it } from 'vitest';
import { buildFormValidator, type FormField, FormValidators } from './forms.js';

const fields: FormField[] = [
  { name: 'approved', label: '是否同意', type: 'boolean', required: true },
  { name: 'comment', label: '审核意见', type: 'text', required: false, maxLength: 10 },
  { name: 'fine', label: '罚款金额', type: 'number', required: false, minimum: 0, maximum: 50000 },
  { name: 'days', label: '期限天数', type: 'integer', required: false },
  { name: 'decidedOn', label: '决定日期', type: 'date', required: false },
  { name: 'level', label: '案件等级', type: 'enum', required: false, options: ['一般', '重大'] },
  { name: 'summary', label: '案情摘要', type: 'string', required: true },
];
const validate = buildFormValidator(fields);

describe('buildFormValidator', () => {
  it('accepts a complete submission and returns its values', () => {
    const payload = {
      approved: true,
      comment: '同意',
      fine: 200.5,
      days: 3,
      decidedOn: '2025-06-30',
      level: '重大',
      summary: '无证经营',
    };
    expect(validate(payload)).toEqual({ ok: true, value: payload });
  });

  it('refuses missing required fields, naming their labels', () => {
    const result = validate({});
    expect(result).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { field: 'approved', message: '“是否同意”为必填项' },
        { field: 'summary', message: '“案情摘要”为必填项' },
      ]),
    });
  });

  it('refuses fields the form does not declare', () => {
    expect(validate({ approved: true, summary: 'x', role: 'admin' })).toEqual({
      ok: false,
      errors: [{ field: 'role', message: '表单中没有字段 role' }],
    });
  });

  it.each([
    [{ approved: 'yes' }, 'approved', '“是否同意”应为是或否'],
    [{ comment: '这是一段超过十个字符的审核意见' }, 'comment', '“审核意见”不能超过 10 个字符'],
    [{ fine: -1 }, 'fine', '“罚款金额”不能小于 0'],
    [{ fine: 60000 }, 'fine', '“罚款金额”不能大于 50000'],
    [{ days: 1.5 }, 'days', '“期限天数”应为整数'],
    [{ decidedOn: '2025-02-30' }, 'decidedOn', '“决定日期”应为日期（YYYY-MM-DD）'],
    [{ level: '特别重大' }, 'level', '“案件等级”应为以下选项之一：一般、重大'],
    [{ summary: '' }, 'summary', '“案情摘要”不能为空'],
  ])('refuses %j with a message about %s', (extra, field, message) => {
    const result = validate({ approved: true, summary: '摘要', ...extra });
    expect(result).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('refuses a payload that is not an object', () => {
    for (const payload of [null, [], 'approved', 1]) {
      expect(validate(payload)).toEqual({ ok: false, errors: [{ field: '', message: '表单数据应为对象' }] });
    }
  });
});

describe('FormValidators', () => {
  const spec = { form: fields.slice(0, 1) };
  const point = (name: string, options = ['符合', '不符合']): FormField => ({
    name,
    label: name,
    type: 'enum',
    required: true,
    options,
  });

  it('keeps one validator per spec and set of extra fields, and checks the extra fields', () => {
    const cache = new FormValidators();
    const own = cache.get(spec);
    expect(cache.get(spec)).toBe(own);
    const withPoint = cache.get(spec, [point('subject')]);
    expect(withPoint).not.toBe(own);
    expect(cache.get(spec, [point('subject')])).toBe(withPoint);
    expect(withPoint({ approved: true, subject: '符合' })).toMatchObject({ ok: true });
    expect(withPoint({ approved: true })).toMatchObject({ ok: false, errors: [{ field: 'subject' }] });
    expect(own({ approved: true, subject: '符合' })).toMatchObject({ ok: false, errors: [{ field: 'subject' }] });
    // The same name with other options is another form.
    const otherOptions = cache.get(spec, [point('subject', ['否', '是'])]);
    expect(otherOptions).not.toBe(withPoint);
    expect(otherOptions({ approved: true, subject: '符合' })).toMatchObject({ ok: false });
  });

  it('drops the least recently used set of extra fields beyond its bound', () => {
    const cache = new FormValidators(2);
    const a = cache.get(spec, [point('a')]);
    const b = cache.get(spec, [point('b')]);
    expect(cache.get(spec, [point('a')])).toBe(a); // a is now the most recent
    cache.get(spec, [point('c')]); // b goes
    expect(cache.get(spec, [point('a')])).toBe(a);
    expect(cache.get(spec, [point('b')])).not.toBe(b);
  });
});
