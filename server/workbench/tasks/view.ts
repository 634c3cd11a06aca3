import { isStep, type Step } from '../../../workflows/lint/steps.js';
import type { FormField } from '../../definitions/form-fields.js';
import type { FieldErrors } from '../cases/submit-packet.js';
import type { FormValues } from './drafts.js';

/** How a step's form is laid out; fields not claimed by a special layout are rendered one by one. */
export type Layout =
  | 'accept'
  | 'review'
  | 'packet'
  | 'contest'
  | 'rereview'
  | 'coordinate'
  | 'chief'
  | 'record'
  | 'generic';

const LAYOUTS: Record<Step, Layout> = {
  accept: 'accept',
  review: 'review',
  complete_packet: 'packet',
  correct: 'packet',
  contest: 'contest',
  rereview: 'rereview',
  coordinate: 'coordinate',
  chief_decision: 'chief',
  record_decision: 'record',
};

/** The layout of a task's form, by its step (`fashen:step`); a task that names no step gets its fields one by one. */
export function layoutOf(step: string | null): Layout {
  return isStep(step) ? LAYOUTS[step] : 'generic';
}

/** Yes/no questions read better as their two answers than as 是/否. */
const BOOLEAN_ANSWERS: Record<string, [string, string]> = {
  complete: ['材料齐全，予以受理', '材料不全，通知补充'],
  contest: ['提出异议，申请复核', '接受审核意见，不提出异议'],
  maintain: ['维持原审核意见', '改变原审核意见'],
};

const HINTS: Record<string, string> = {
  missing: '材料不全时必填，每行一项；将写入补正材料通知书。',
  contestReasons: '提出异议的，必须写明理由。',
  decisionReasons:
    '决定与法制审核意见或承办机构的拟处理意见不一致的，必须书面说明理由（不少于10个字），并由负责人承担相应责任。',
  participants: '每行一人：姓名 单位 职务。',
  coordinationDate: '协调实际进行的日期（不是录入日期），将写入协调意见；不能晚于今天，也不能早于复核意见出具之日。',
  coordinationPlace: '召开协调会的，填写会议地点；以书面方式交换意见协调的可不填。',
  modifiedDecision: '选择“修改后作出决定”时必填；记录执法决定时将与此核对。',
  deviationReason: '记录的决定内容与经审核的拟作决定（或负责人修改后的决定）不一致时必填，理由记入案卷。',
  correctionNote: '说明补充或修改了哪些材料，将记入本轮报送记录。',
};

export interface OptionView {
  value: string;
  label: string;
  checked: boolean;
  id: string;
}

export interface FieldView {
  name: string;
  label: string;
  type: FormField['type'];
  required: boolean;
  id: string;
  control: 'input' | 'textarea' | 'number' | 'date' | 'radio' | 'select';
  value: string;
  options: OptionView[];
  error?: string;
  hint?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

function controlOf(f: FormField): FieldView['control'] {
  switch (f.type) {
    case 'text':
      return 'textarea';
    case 'number':
    case 'integer':
      return 'number';
    case 'date':
      return 'date';
    case 'boolean':
      return 'radio';
    case 'enum':
      return (f.options?.length ?? 0) <= 6 ? 'radio' : 'select';
    default:
      return 'input';
  }
}

export function fieldView(f: FormField, values: FormValues, errors: FieldErrors): FieldView {
  const value = one(values[f.name]);
  const id = `f-${f.name}`;
  const pairs: [string, string][] =
    f.type === 'boolean'
      ? [
          ['true', BOOLEAN_ANSWERS[f.name]?.[0] ?? '是'],
          ['false', BOOLEAN_ANSWERS[f.name]?.[1] ?? '否'],
        ]
      : (f.options ?? []).map((o) => [o, o]);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    required: f.required,
    id,
    control: controlOf(f),
    value,
    options: pairs.map(([v, label], i) => ({ value: v, label, checked: v === value, id: `${id}-${i}` })),
    error: errors[f.name],
    hint: HINTS[f.name],
    maxLength: f.maxLength,
    minimum: f.minimum,
    maximum: f.maximum,
  };
}

/** The points of a review as table rows: each `finding_<point>` with its `note_<point>`. */
export function reviewPoints(fields: FormField[], values: FormValues, errors: FieldErrors) {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const points = fields
    .filter((f) => f.name.startsWith('finding_') && f.type === 'enum')
    .map((f) => {
      const key = f.name.slice('finding_'.length);
      const note = byName.get(`note_${key}`);
      return {
        key,
        label: f.label,
        finding: fieldView(f, values, errors),
        note: note && fieldView(note, values, errors),
      };
    });
  const claimed = new Set(points.flatMap((p) => [p.finding.name, p.note?.name]));
  return { points, rest: fields.filter((f) => !claimed.has(f.name)) };
}

const isPointField = (name: string) => name.startsWith('finding_') || name.startsWith('note_');

/**
 * The form a task's page shows: its BPMN fields with the fields the step asks beyond them (the case's review
 * points). When the step adds points, they come in the list's order, each under the BPMN's own field where it
 * declares one, where the BPMN's first point stood.
 */
export function withExtraFields(declared: FormField[], extra: FormField[]): FormField[] {
  if (extra.length === 0) return declared;
  const byName = new Map(declared.map((f) => [f.name, f]));
  const points = extra.filter((f) => isPointField(f.name)).map((f) => byName.get(f.name) ?? f);
  const listed = new Set(points.map((f) => f.name));
  const others = extra.filter((f) => !isPointField(f.name) && !byName.has(f.name));
  // A point the BPMN declares that the list has not (an older form's) stays where it was.
  const at = declared.findIndex((f) => isPointField(f.name));
  const rest = declared.filter((f) => !listed.has(f.name));
  const insertAt = at < 0 ? 0 : declared.slice(0, at).filter((f) => !listed.has(f.name)).length;
  return [...rest.slice(0, insertAt), ...points, ...rest.slice(insertAt), ...others];
}

/** All fields of a form for the generic renderer, in declared order. */
export function fieldViews(fields: FormField[], values: FormValues, errors: FieldErrors) {
  return fields.map((f) => fieldView(f, values, errors));
}
