import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

export const FIELD_TYPES = ['string', 'text', 'number', 'integer', 'boolean', 'date', 'enum'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One field of a user task's form, as declared with `fashen:formField`. */
export interface FormField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  options?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export type FormValidation =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: { field: string; message: string }[] };

const TYPE_NAMES: Record<FieldType, string> = {
  string: '文本',
  text: '文本',
  number: '数字',
  integer: '整数',
  boolean: '是或否',
  date: '日期（YYYY-MM-DD）',
  enum: '列出的选项之一',
};

function fieldSchema(field: FormField): Record<string, unknown> {
  switch (field.type) {
    case 'string':
    case 'text':
      return {
        type: 'string',
        ...(field.required && { minLength: 1 }),
        ...(field.maxLength !== undefined && { maxLength: field.maxLength }),
      };
    case 'number':
    case 'integer':
      return {
        type: field.type,
        ...(field.minimum !== undefined && { minimum: field.minimum }),
        ...(field.maximum !== undefined && { maximum: field.maximum }),
      };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'enum':
      return { type: 'string', enum: field.options ?? [] };
  }
}

function message(error: ErrorObject, fields: Map<string, FormField>): { field: string; message: string } {
  const params = error.params as Record<string, unknown>;
  const name =
    error.keyword === 'required'
      ? String(params.missingProperty)
      : error.keyword === 'additionalProperties'
        ? String(params.additionalProperty)
        : (error.instancePath.split('/')[1] ?? '');
  const field = fields.get(name);
  const label = `“${field?.label ?? name}”`;
  switch (error.keyword) {
    case 'additionalProperties':
      return { field: name, message: `表单中没有字段 ${name}` };
    case 'required':
      return { field: name, message: `${label}为必填项` };
    case 'minLength':
      return { field: name, message: `${label}不能为空` };
    case 'maxLength':
      return { field: name, message: `${label}不能超过 ${params.limit} 个字符` };
    case 'minimum':
      return { field: name, message: `${label}不能小于 ${params.limit}` };
    case 'maximum':
      return { field: name, message: `${label}不能大于 ${params.limit}` };
    case 'enum':
      return { field: name, message: `${label}应为以下选项之一：${(field?.options ?? []).join('、')}` };
    case 'type':
    case 'format':
      if (name === '') return { field: '', message: '表单数据应为对象' };
      return { field: name, message: `${label}应为${field ? TYPE_NAMES[field.type] : '合法的值'}` };
    default:
      return { field: name, message: `${label}不合法：${error.message ?? error.keyword}` };
  }
}

/**
 * A validator for a user task's form submission: declared fields only, required ones present, each of its type.
 * Errors name the field's label in Chinese.
 */
export function buildFormValidator(fields: FormField[]): (payload: unknown) => FormValidation {
  // One Ajv per form: a compiled form lives as long as its cached definition and takes its schema with it.
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv, ['date']);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const validate = ajv.compile({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])),
    required: fields.filter((f) => f.required).map((f) => f.name),
  });
  return (payload) => {
    if (validate(payload)) return { ok: true, value: { ...(payload as Record<string, unknown>) } };
    const errors = (validate.errors ?? []).map((e) => message(e, byName));
    const unique = [...new Map(errors.map((e) => [`${e.field}\u0000${e.message}`, e])).values()];
    return { ok: false, errors: unique };
  };
}

type FormValidator = ReturnType<typeof buildFormValidator>;

/**
 * Compiled validators, per user task spec (cached and immutable, so they go when its definition goes): the spec's
 * own form, and its form with each set of extra fields a capability added (a department's review points). Building
 * one costs an Ajv and its meta-schema, ~10 ms; a review step would otherwise pay it on every submission.
 */
export class FormValidators {
  private readonly bySpec = new WeakMap<object, Map<string, FormValidator>>();

  /** `perSpec`: how many extra-field sets to keep per spec; the least recently used goes first. */
  constructor(private readonly perSpec = 32) {}

  get(spec: { form: FormField[] }, extra: FormField[] = []): FormValidator {
    let forms = this.bySpec.get(spec);
    if (!forms) {
      forms = new Map();
      this.bySpec.set(spec, forms);
    }
    const key = extra.length ? JSON.stringify(extra) : '';
    const kept = forms.get(key);
    if (kept) {
      forms.delete(key);
      forms.set(key, kept);
      return kept;
    }
    const built = buildFormValidator([...spec.form, ...extra]);
    forms.set(key, built);
    if (forms.size > this.perSpec) forms.delete(forms.keys().next().value as string);
    return built;
  }
}
