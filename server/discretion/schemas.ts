import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, title?: string) =>
  Type.Union([t, Type.Null()], title ? { title } : {});

export const CircumstanceSchema = Type.Union(
  [
    Type.Literal('mitigated'),
    Type.Literal('lighter'),
    Type.Literal('general'),
    Type.Literal('heavier'),
    Type.Literal('exempt'),
  ],
  { title: '情节', description: 'mitigated 减轻 · lighter 从轻 · general 一般 · heavier 从重 · exempt 不予处罚' },
);

export const RangeSchema = Type.Object(
  {
    circumstance: CircumstanceSchema,
    kind: Type.Union(
      [Type.Literal('fixed'), Type.Literal('goods_value'), Type.Literal('illegal_gains'), Type.Literal('none')],
      {
        title: '幅度类型',
        description:
          'fixed 罚款金额（元）· goods_value 货值金额倍数 · illegal_gains 违法所得倍数 · none 不予处罚（仅 exempt）',
      },
    ),
    min: Nullable(Type.Number({ minimum: 0, description: '下限：元，或倍数' }), '下限'),
    max: Nullable(Type.Number({ minimum: 0, description: '上限：元，或倍数' }), '上限'),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500, description: '说明（适用条件等）' }), '说明')),
  },
  { additionalProperties: false },
);

export const ItemInputSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 50, title: '编码', description: '编码（本机关内唯一）' }),
    violation: Type.String({ minLength: 1, maxLength: 300, title: '违法行为', description: '违法行为' }),
    basisLaw: Type.Optional(
      Nullable(Type.String({ maxLength: 200, description: '依据的法律法规名称' }), '依据的法律法规'),
    ),
    basisArticle: Type.Optional(
      Nullable(Type.String({ maxLength: 100, description: '依据的条款，如“第四十九条”' }), '依据的条款'),
    ),
    sortOrder: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 999999, title: '排序号', description: '排序号（省略时排在最后或不变）' }),
    ),
    ranges: Type.Array(RangeSchema, {
      minItems: 1,
      maxItems: 5,
      title: '各情节的裁量幅度',
      description: '各情节的裁量幅度',
    }),
  },
  { additionalProperties: false },
);

export const ItemSchema = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  code: Type.String(),
  violation: Type.String(),
  basisLaw: Nullable(Type.String()),
  basisArticle: Nullable(Type.String()),
  sortOrder: Type.Integer(),
  ranges: Type.Array(
    Type.Object({
      circumstance: CircumstanceSchema,
      kind: Type.String(),
      min: Nullable(Type.Number()),
      max: Nullable(Type.Number()),
      note: Nullable(Type.String()),
    }),
  ),
  updatedAt: IsoDateTime,
  updatedBy: Nullable(Uuid),
});

export const ItemParams = Type.Object({ id: Uuid, itemId: Uuid });

export const ImportQuery = Type.Object({
  mode: Type.Union([Type.Literal('merge'), Type.Literal('replace')], {
    default: 'merge',
    description: 'merge 按编码覆盖已有事项并新增其余 · replace 同时删除文件中没有的事项',
  }),
});

export const ImportResultSchema = Type.Object({
  items: Type.Integer({ description: '文件中的事项数' }),
  lines: Type.Integer({ description: '文件中的情节行数' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  deleted: Type.Integer(),
});

export const ChangeSchema = Type.Object({
  id: Type.String(),
  itemId: Nullable(Uuid),
  code: Nullable(Type.String()),
  action: Type.String({ description: 'created · updated · deleted · imported' }),
  summary: Type.String(),
  at: IsoDateTime,
  actorName: Nullable(Type.String()),
});

export const AssessmentSchema = Type.Object({
  itemId: Uuid,
  code: Nullable(Type.String()),
  violation: Nullable(Type.String()),
  basis: Type.String({ description: '裁量基准事项的依据' }),
  circumstance: CircumstanceSchema,
  circumstanceLabel: Type.String(),
  rangeText: Type.String({ description: '所选情节的裁量幅度' }),
  low: Nullable(Type.Number({ description: '幅度下限（元）' })),
  high: Nullable(Type.Number({ description: '幅度上限（元）' })),
  proposed: Nullable(
    Type.Object({ text: Type.String(), yuan: Type.Number() }, { description: '从拟作出的决定中读出的罚款' }),
  ),
  status: Type.String({
    description:
      'in_range 在幅度内 · below 低于下限 · above 高于上限 · fine_when_exempt 不予处罚却处以罚款 · no_amount 未写明罚款 · missing_base 缺少货值金额或违法所得 · item_missing 事项已不存在 · circumstance_missing 事项没有该情节',
  }),
  deviation: Type.Boolean({ description: '偏离裁量基准' }),
  message: Type.String(),
  explanation: Nullable(Type.String({ description: '承办机构说明的偏离理由' })),
});
