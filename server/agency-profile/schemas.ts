import { type TSchema, Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';
import { type FieldSpec, GUIDE_FIELDS, INSPECTION_FIELDS, POWER_FIELDS, REMEDY_FIELDS } from './fields.js';
import { POWER_CATEGORIES, POWER_CATEGORY_LABELS } from './vocabulary.js';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const PowerCategorySchema = Type.Enum(POWER_CATEGORIES, {
  description: `职权类别：${POWER_CATEGORIES.map((c) => `${c}=${POWER_CATEGORY_LABELS[c]}`).join('，')}`,
});

/**
 * A request body built from a section's fields, so its limits are the ones the forms check. Blank required
 * fields are left to the service, which answers with a message per field (`details.fields`).
 */
function inputSchema(fields: FieldSpec[], description: string) {
  const props: Record<string, TSchema> = {};
  for (const f of fields) {
    const base =
      f.kind === 'category'
        ? PowerCategorySchema
        : f.kind === 'order'
          ? Type.Integer({ minimum: 0, maximum: 999999, description: `${f.label}（${f.hint}）` })
          : Type.String({ maxLength: f.max, description: f.required ? `${f.label}（必填）` : f.label });
    props[f.key] = f.required ? base : Type.Optional(Nullable(base));
  }
  return Type.Object(props, { additionalProperties: false, description });
}

export const PowerInput = inputSchema(POWER_FIELDS, '职权事项');
export const ServiceGuideInput = inputSchema(GUIDE_FIELDS, '办事指南');
export const InspectionItemInput = inputSchema(INSPECTION_FIELDS, '随机抽查事项');
export const RemediesInput = inputSchema(REMEDY_FIELDS, '救济途径');

const stamp = { id: Uuid, sortOrder: Type.Integer({ description: '排序号' }), updatedAt: IsoDateTime };
const editor = { updatedByName: Nullable(Type.String({ description: '最后修改人' })) };

const power = {
  ...stamp,
  code: Type.String({ description: '编码' }),
  name: Type.String({ description: '事项名称' }),
  category: PowerCategorySchema,
  categoryLabel: Type.String({ description: '类别名称' }),
  legalBasis: Type.String({ description: '设定依据' }),
  implementingUnit: Nullable(Type.String({ description: '实施主体' })),
};
const guide = {
  ...stamp,
  title: Type.String({ description: '指南名称' }),
  matter: Type.String({ description: '适用事项' }),
  materials: Nullable(Type.String({ description: '申请材料' })),
  procedure: Type.String({ description: '办理流程' }),
  timeLimit: Nullable(Type.String({ description: '办理时限' })),
  fees: Nullable(Type.String({ description: '收费标准' })),
  placeHours: Nullable(Type.String({ description: '办理地点和时间' })),
  phone: Nullable(Type.String({ description: '咨询电话' })),
};
const inspection = {
  ...stamp,
  name: Type.String({ description: '抽查事项' }),
  objects: Type.String({ description: '检查对象' }),
  method: Type.String({ description: '检查方式' }),
  basis: Type.String({ description: '检查依据' }),
  inspectingUnit: Nullable(Type.String({ description: '检查主体' })),
  ratio: Type.String({ description: '抽查比例和频次' }),
};
const remedies = {
  reconsiderationOrgan: Type.String({ description: '行政复议机关' }),
  reconsiderationAddress: Nullable(Type.String()),
  reconsiderationPhone: Nullable(Type.String()),
  reconsiderationTimeLimit: Type.String({ description: '申请行政复议期限' }),
  courtName: Type.String({ description: '管辖人民法院' }),
  courtAddress: Nullable(Type.String()),
  courtPhone: Nullable(Type.String()),
  litigationTimeLimit: Type.String({ description: '提起行政诉讼期限' }),
  notes: Nullable(Type.String({ description: '其他说明' })),
  updatedAt: IsoDateTime,
};

export const PowerSchema = Type.Object({ ...power, ...editor }, { description: '职权事项' });
export const ServiceGuideSchema = Type.Object({ ...guide, ...editor }, { description: '办事指南' });
export const InspectionItemSchema = Type.Object({ ...inspection, ...editor }, { description: '随机抽查事项' });
export const RemediesSchema = Type.Object({ ...remedies, ...editor }, { description: '救济途径' });

export const PowerPage = Type.Object({ items: Type.Array(PowerSchema), hasMore: Type.Boolean() });
export const PowerQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '编码或名称中的文字' })),
  category: Type.Optional(PowerCategorySchema),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
});

/** The import's mode; `keyHeader` names the column by which `merge` matches lines to listed items. */
export const importQuery = (keyHeader: string) =>
  Type.Object({
    mode: Type.Union([Type.Literal('merge'), Type.Literal('replace')], {
      default: 'merge',
      description: `merge：按“${keyHeader}”对照，已有的覆盖、没有的新增；replace：另删除文件中没有的事项`,
    }),
  });
export const ImportResultSchema = Type.Object({
  rows: Type.Integer({ description: '文件中的事项数' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  deleted: Type.Integer(),
});

export const ItemParams = Type.Object({ id: Uuid, itemId: Uuid });

export const PublicProfileSchema = Type.Object({
  agency: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  powers: Type.Array(Type.Object(power)),
  remedies: Type.Object({
    filled: Type.Boolean({ description: '本机关是否已填写；未填写时只有法定期限' }),
    reconsiderationOrgan: Type.Optional(Nullable(Type.String())),
    reconsiderationAddress: Type.Optional(Nullable(Type.String())),
    reconsiderationPhone: Type.Optional(Nullable(Type.String())),
    reconsiderationTimeLimit: Type.String(),
    courtName: Type.Optional(Nullable(Type.String())),
    courtAddress: Type.Optional(Nullable(Type.String())),
    courtPhone: Type.Optional(Nullable(Type.String())),
    litigationTimeLimit: Type.String(),
    notes: Type.Optional(Nullable(Type.String())),
    updatedAt: Type.Optional(IsoDateTime),
  }),
  serviceGuides: Type.Array(Type.Object(guide)),
  inspectionItems: Type.Array(Type.Object(inspection)),
  flowcharts: Type.Array(
    Type.Object({
      processKey: Type.String(),
      name: Type.String({ description: '流程名称' }),
      version: Type.Integer(),
      svgUrl: Type.String({ description: '该版本流程图（SVG）的地址' }),
    }),
  ),
});
