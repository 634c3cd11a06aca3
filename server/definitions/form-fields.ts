import type { BaseElement } from 'bpmn-moddle';
import { describe, type Issue, issueAt } from '../../workflows/lint/issues.js';
import { childOf, childrenOf, stringOf } from '../../workflows/lint/walk.js';
import { FIELD_TYPES, type FieldType, type FormField } from '../engine/forms.js';

export { FIELD_TYPES, type FieldType, type FormField } from '../engine/forms.js';

const FIELD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Submitted values are merged into plain objects; these names would reach the prototype instead.
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** The `fashen:form` elements among an element's extension elements. */
export function formsOf(element: BaseElement): BaseElement[] {
  const extensions = childOf(element, 'extensionElements');
  return extensions ? childrenOf(extensions, 'values').filter((v) => v.$type === 'fashen:Form') : [];
}

/** `options="同意,不同意"` (a Chinese comma works too) as a list. */
function splitOptions(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,，]/)
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function toField(element: BaseElement): FormField {
  const name = stringOf(element, 'name') ?? '';
  const field: FormField = {
    name,
    label: stringOf(element, 'label')?.trim() || name,
    type: stringOf(element, 'type') as FieldType,
    required: element.required === true,
  };
  if (field.type === 'enum') field.options = splitOptions(stringOf(element, 'options'));
  const minimum = finite(element.minimum);
  const maximum = finite(element.maximum);
  const maxLength = finite(element.maxLength);
  if (minimum !== undefined) field.minimum = minimum;
  if (maximum !== undefined) field.maximum = maximum;
  if (maxLength !== undefined) field.maxLength = maxLength;
  return field;
}

function fieldProblems(field: FormField, element: BaseElement, seen: Set<string>): string[] {
  const problems: string[] = [];
  if (!FIELD_NAME.test(field.name))
    problems.push(`字段名“${field.name}”不合法（须为字母或下划线开头的字母、数字、下划线）`);
  else if (RESERVED_NAMES.has(field.name)) problems.push(`字段名“${field.name}”是保留字，不能使用`);
  else if (seen.has(field.name)) problems.push(`字段名“${field.name}”重复`);
  seen.add(field.name);
  if (!(FIELD_TYPES as readonly string[]).includes(field.type)) {
    problems.push(`字段“${field.label}”的类型“${field.type ?? ''}”不受支持（可用：${FIELD_TYPES.join('、')}）`);
  }
  if (field.type === 'enum') {
    const options = field.options ?? [];
    if (options.length === 0) problems.push(`枚举字段“${field.label}”必须提供 options（以逗号分隔）`);
    if (new Set(options).size !== options.length) problems.push(`枚举字段“${field.label}”的选项重复`);
  }
  const numeric = field.type === 'number' || field.type === 'integer';
  if (!numeric && (element.minimum !== undefined || element.maximum !== undefined)) {
    problems.push(`字段“${field.label}”不是数值类型，不能设置 minimum/maximum`);
  }
  for (const bound of ['minimum', 'maximum'] as const) {
    if (element[bound] !== undefined && field[bound] === undefined)
      problems.push(`字段“${field.label}”的 ${bound} 不是数字`);
  }
  if (field.minimum !== undefined && field.maximum !== undefined && field.minimum > field.maximum) {
    problems.push(`字段“${field.label}”的 minimum 大于 maximum`);
  }
  if (element.maxLength !== undefined) {
    if (field.type !== 'string' && field.type !== 'text')
      problems.push(`字段“${field.label}”不是文本类型，不能设置 maxLength`);
    else if (field.maxLength === undefined || field.maxLength < 1)
      problems.push(`字段“${field.label}”的 maxLength 必须是正整数`);
  }
  return problems;
}

/** The form fields of a user task, assuming the definition passed validation. */
export function readFormFields(userTask: BaseElement): FormField[] {
  const form = formsOf(userTask)[0];
  return form ? childrenOf(form, 'fields').map(toField) : [];
}

/** Checks every `fashen:form` in the document: only on user tasks, one per task, well-formed fields. */
export function checkForms(elements: readonly BaseElement[]): Issue[] {
  const issues: Issue[] = [];
  for (const element of elements) {
    const forms = formsOf(element);
    if (forms.length === 0) continue;
    if (element.$type !== 'bpmn:UserTask') {
      issues.push(issueAt('BPMN_UNSUPPORTED', element, `${describe(element)}不能定义表单；表单只能定义在 userTask 上`));
      continue;
    }
    if (forms.length > 1) issues.push(issueAt('BPMN_INVALID', element, `${describe(element)}定义了多个表单`));
    const seen = new Set<string>();
    for (const fieldElement of childrenOf(forms[0], 'fields')) {
      const problems = fieldProblems(toField(fieldElement), fieldElement, seen);
      for (const problem of problems)
        issues.push(issueAt('BPMN_INVALID', element, `${describe(element)}的表单：${problem}`));
    }
  }
  return issues;
}
