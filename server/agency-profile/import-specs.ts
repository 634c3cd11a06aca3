import type { FieldSpec } from './fields.js';
import { INSPECTION_ITEMS, type ListSection, POWERS, SERVICE_GUIDES } from './sections.js';
import { POWER_CATEGORY_LABELS } from './vocabulary.js';

/**
 * How a list section reads and writes as CSV: its columns in file order (the Chinese header and the field each
 * fills), how many columns a file must have (the others may be left out at the end), and the natural key by
 * which `merge` matches a line to an item already listed.
 */
export interface ImportSpec {
  section: ListSection;
  columns: { header: string; field: FieldSpec }[];
  /** Columns a file must have; those after them may be omitted (they are all optional fields). */
  minColumns: number;
  /** The field that identifies an item in `merge`. */
  key: FieldSpec;
  /** The key column's header, as messages and the import page name it. */
  keyHeader: string;
  /** Lines shown on the import page under the header, to copy from. */
  example: string[];
  /** Anything else the import page should say about the values (the categories of powers). */
  valuesNote?: string;
}

/**
 * A section's import description: the columns are its fields except the sort order (file order is the list's
 * order), headed by the field labels unless `headers` names them otherwise. Trailing columns may be left out
 * as long as none of them is required, so a file must reach at least the last required field.
 */
function spec(
  section: ListSection,
  keyField: string,
  example: string[],
  opts: { headers?: Record<string, string>; valuesNote?: string } = {},
): ImportSpec {
  const columns = section.fields
    .filter((f) => f.kind !== 'order')
    .map((field) => ({ header: opts.headers?.[field.key] ?? field.label, field }));
  const lastRequired = columns.reduce((last, c, i) => (c.field.required ? i : last), -1);
  const key = columns.find((c) => c.field.key === keyField);
  if (!key) throw new Error(`no column ${keyField} in ${section.section}`);
  return {
    section,
    columns,
    minColumns: lastRequired + 1,
    key: key.field,
    keyHeader: key.header,
    example,
    valuesNote: opts.valuesNote,
  };
}

/** 职权事项清单: the header `编码,名称,类别,依据,实施主体` predates the others and stays as it is. */
export const POWERS_IMPORT = spec(
  POWERS,
  'code',
  [
    'XK-001,食品经营许可,行政许可,《中华人民共和国食品安全法》第三十五条,',
    'CF-001,对未取得食品经营许可从事食品经营活动的处罚,行政处罚,"《中华人民共和国食品安全法》第一百二十二条",市场监督管理局',
  ],
  {
    headers: { code: '编码', name: '名称', category: '类别', legalBasis: '依据', implementingUnit: '实施主体' },
    valuesNote: `类别为：${Object.values(POWER_CATEGORY_LABELS).join('、')}（也可填英文代码）。`,
  },
);

/** 随机抽查事项清单: `抽查事项,检查对象,检查方式,检查依据,检查主体,抽查比例和频次`, matched by 抽查事项. */
export const INSPECTION_IMPORT = spec(INSPECTION_ITEMS, 'name', [
  '计量器具使用情况检查,集贸市场经营者,现场检查,《中华人民共和国计量法》第十八条,,每年不低于5%',
  '食品经营者落实主体责任情况检查,"辖区内持证食品经营者',
  '网络食品交易第三方平台",现场检查、书面检查,《中华人民共和国食品安全法》第一百一十条,市场监督管理局,每年不低于5%',
]);

/** 办事指南: `指南名称,适用事项,申请材料,办理流程,办理时限,收费标准,办理地点和时间,咨询电话`, matched by 指南名称. */
export const GUIDES_IMPORT = spec(SERVICE_GUIDES, 'title', [
  '食品经营许可办事指南,食品经营许可的申请,"1. 食品经营许可申请书',
  '2. 营业执照复印件",申请—受理—审查—决定,20个工作日,不收费,,0515-12345',
  '不动产登记资料查询指南,不动产登记资料的查询,不动产权利人身份证明,申请—受理—出具查询结果,即时办结,不收费,,',
]);

export const IMPORT_SPECS: Record<ListSection['section'], ImportSpec> = {
  powers: POWERS_IMPORT,
  inspection_items: INSPECTION_IMPORT,
  service_guides: GUIDES_IMPORT,
};

/** The header line of a section's files. */
export const headerLine = (s: ImportSpec) => s.columns.map((c) => c.header).join(',');

/** Which columns may be left out at the end of the header, in words ('' when none may). */
export function omittableNote(s: ImportSpec): string {
  const optional = s.columns.slice(s.minColumns).map((c) => c.header);
  if (optional.length === 0) return '';
  if (optional.length === 1) return `${optional[0]}一列可省略`;
  return `末尾的${optional.join('、')}各列可从后往前省略`;
}
