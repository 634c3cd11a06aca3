import { Type } from 'typebox';
import { IsoDateTime } from '../http/schemas.js';

export const MarkStatus = Type.Union([Type.Literal('handled'), Type.Literal('not_applicable')], {
  description: 'handled 已处理 · not_applicable 不适用',
});

export const HintSchema = Type.Object(
  {
    kind: Type.String({
      description:
        'citation 引用问题 · benchmark_deviation 偏离裁量基准 · similar_deviation 偏离同类案件 · amount_mismatch 金额不一致 · evidence_missing 证据缺失 · procedure_gap 程序缺口',
    }),
    kindLabel: Type.String(),
    point: Type.String({ description: '所涉审核事项（finding_<point>）' }),
    pointLabel: Type.String(),
    key: Type.String({ description: '提示的稳定标识（同一送审材料的同一问题不变）' }),
    title: Type.String(),
    detail: Type.String({ description: '可引用于审核意见的说明' }),
    href: Type.Optional(Type.String({ description: '来源链接' })),
    mark: Type.Union([
      Type.Object({
        status: MarkStatus,
        statusLabel: Type.String(),
        note: Type.String(),
        markedBy: Type.String(),
        markedAt: IsoDateTime,
      }),
      Type.Null(),
    ]),
  },
  { description: '争议焦点提示' },
);

export const HintList = Type.Object({ caseId: Type.String(), hints: Type.Array(HintSchema) });

export const MarkBody = Type.Object({
  status: MarkStatus,
  note: Type.String({ maxLength: 1000, default: '', description: '说明' }),
});

export const KeyParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  key: Type.String({ minLength: 1, maxLength: 500, title: '提示标识' }),
});
