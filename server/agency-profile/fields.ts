import { POWER_CATEGORIES, POWER_CATEGORY_LABELS, type PowerCategory } from './vocabulary.js';

/**
 * The fields of each disclosure section, one description shared by validation (API and forms alike), the
 * TypeBox schemas' length limits and the workbench forms. `line` fields are one line (inner line breaks
 * become spaces), `text` fields keep their line breaks.
 */
export interface FieldSpec {
  key: string;
  label: string;
  max: number;
  required: boolean;
  kind: 'line' | 'text' | 'code' | 'phone' | 'category' | 'order';
  hint?: string;
  placeholder?: string;
}

const order: FieldSpec = {
  key: 'sortOrder',
  label: '排序号',
  max: 6,
  required: false,
  kind: 'order',
  hint: '数字小的排在前面；留空则排在最后',
};

export const POWER_FIELDS: FieldSpec[] = [
  { key: 'code', label: '编码', max: 50, required: true, kind: 'code', hint: '本机关内唯一，如 XK-001' },
  { key: 'name', label: '事项名称', max: 200, required: true, kind: 'line' },
  { key: 'category', label: '类别', max: 20, required: true, kind: 'category' },
  {
    key: 'legalBasis',
    label: '设定依据',
    max: 4000,
    required: true,
    kind: 'text',
    placeholder: '如：《中华人民共和国行政处罚法》第二十八条',
  },
  { key: 'implementingUnit', label: '实施主体', max: 200, required: false, kind: 'line', hint: '留空即本机关' },
  order,
];

export const GUIDE_FIELDS: FieldSpec[] = [
  { key: 'title', label: '指南名称', max: 200, required: true, kind: 'line' },
  { key: 'matter', label: '适用事项', max: 500, required: true, kind: 'text' },
  { key: 'materials', label: '申请材料', max: 4000, required: false, kind: 'text', hint: '每行一项' },
  { key: 'procedure', label: '办理流程', max: 4000, required: true, kind: 'text' },
  { key: 'timeLimit', label: '办理时限', max: 200, required: false, kind: 'line', placeholder: '如：20个工作日' },
  { key: 'fees', label: '收费标准', max: 500, required: false, kind: 'line', placeholder: '如：不收费' },
  { key: 'placeHours', label: '办理地点和时间', max: 500, required: false, kind: 'text' },
  { key: 'phone', label: '咨询电话', max: 50, required: false, kind: 'phone' },
  order,
];

export const INSPECTION_FIELDS: FieldSpec[] = [
  { key: 'name', label: '抽查事项', max: 200, required: true, kind: 'line' },
  { key: 'objects', label: '检查对象', max: 500, required: true, kind: 'text' },
  { key: 'method', label: '检查方式', max: 200, required: true, kind: 'line', placeholder: '如：现场检查、书面检查' },
  { key: 'basis', label: '检查依据', max: 2000, required: true, kind: 'text' },
  { key: 'inspectingUnit', label: '检查主体', max: 200, required: false, kind: 'line', hint: '留空即本机关' },
  { key: 'ratio', label: '抽查比例和频次', max: 200, required: true, kind: 'line', placeholder: '如：每年不低于5%' },
  order,
];

/** The reconsideration organ and the court a party turns to; the time limits the law sets by default. */
export const DEFAULT_RECONSIDERATION_LIMIT =
  '自知道或者应当知道该行政行为之日起六十日内提出行政复议申请（《中华人民共和国行政复议法》第二十条）；法律规定的申请期限超过六十日的除外。';
export const DEFAULT_LITIGATION_LIMIT =
  '直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出（《中华人民共和国行政诉讼法》第四十六条）；经行政复议的，可以在收到复议决定书之日起十五日内提起诉讼（第四十五条）。法律另有规定的除外。';

export const REMEDY_FIELDS: FieldSpec[] = [
  { key: 'reconsiderationOrgan', label: '行政复议机关', max: 200, required: true, kind: 'line' },
  { key: 'reconsiderationAddress', label: '复议机关地址', max: 300, required: false, kind: 'line' },
  { key: 'reconsiderationPhone', label: '复议机关电话', max: 50, required: false, kind: 'phone' },
  { key: 'reconsiderationTimeLimit', label: '申请行政复议期限', max: 500, required: true, kind: 'text' },
  { key: 'courtName', label: '管辖人民法院', max: 200, required: true, kind: 'line' },
  { key: 'courtAddress', label: '人民法院地址', max: 300, required: false, kind: 'line' },
  { key: 'courtPhone', label: '人民法院电话', max: 50, required: false, kind: 'phone' },
  { key: 'litigationTimeLimit', label: '提起行政诉讼期限', max: 500, required: true, kind: 'text' },
  { key: 'notes', label: '其他说明', max: 2000, required: false, kind: 'text' },
];

const LABEL_TO_CATEGORY = new Map<string, PowerCategory>(
  Object.entries(POWER_CATEGORY_LABELS).map(([code, label]) => [label, code as PowerCategory]),
);

/** A category given as its code (`penalty`) or its Chinese name (行政处罚). */
export function parseCategory(v: string): PowerCategory | undefined {
  if ((POWER_CATEGORIES as readonly string[]).includes(v)) return v as PowerCategory;
  return LABEL_TO_CATEGORY.get(v);
}

// PostgreSQL refuses NUL in text and the other C0 controls are never meant: they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const PHONE = /^[0-9+()（）\-－—\s,，、;；/转]{3,50}$/;

export type FieldValues = Record<string, string | number | null>;
export type FieldErrors = Record<string, string>;

/** Cleans and checks one section's input; values hold null for an empty optional field. */
export function validateFields(fields: FieldSpec[], raw: Record<string, unknown>) {
  const values: FieldValues = {};
  const errors: FieldErrors = {};
  for (const f of fields) {
    const given = raw[f.key];
    let text = typeof given === 'number' ? String(given) : typeof given === 'string' ? given : '';
    text = text.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
    if (f.kind !== 'text') text = text.replace(/\s*\n\s*/g, ' ');
    if (!text) {
      if (f.required) errors[f.key] = f.kind === 'category' ? `请选择${f.label}` : `请填写${f.label}`;
      values[f.key] = null;
      continue;
    }
    if (f.kind === 'order') {
      values[f.key] = /^\d{1,6}$/.test(text) ? Number(text) : null;
      if (values[f.key] === null) errors[f.key] = `${f.label}应为 0 到 999999 之间的整数`;
      continue;
    }
    values[f.key] = text;
    if ([...text].length > f.max) errors[f.key] = `${f.label}不能超过 ${f.max} 个字`;
    else if (f.kind === 'code' && /\s/.test(text)) errors[f.key] = `${f.label}不能包含空格`;
    else if (f.kind === 'phone' && !PHONE.test(text)) errors[f.key] = `${f.label}只能包含数字、括号、连字符和分隔符`;
    else if (f.kind === 'category') {
      const category = parseCategory(text);
      if (category) values[f.key] = category;
      else errors[f.key] = `${f.label}应为${Object.values(POWER_CATEGORY_LABELS).join('、')}之一`;
    }
  }
  return { values, errors };
}
