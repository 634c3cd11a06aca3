import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';
import { CategorySchema } from './vocabulary.js';

export { CaseFactsSchema } from './vocabulary.js';

export const CatalogueItemSchema = Type.Object(
  {
    code: Type.String({ description: '事项编号' }),
    category: CategorySchema,
    categoryLabel: Type.String({ description: '类别名称，如 行政处罚' }),
    name: Type.String({ description: '事项名称' }),
    condition: Type.String({ description: '适用条件（FEEL，变量为案件事实）' }),
    basis: Type.Union([Type.String(), Type.Null()], { description: '法律依据' }),
    bases: Type.Optional(
      Type.Array(
        Type.Object({
          law: Type.String({ description: '法律法规名称，如 产品质量法' }),
          article: Type.String({ description: '条款，如 第四十九条第一款' }),
        }),
        { description: '结构化的法律依据（fashen:basis），部署时按法律法规库核对' },
      ),
    ),
    reviewWorkingDays: Type.Integer({ description: '审核时限（工作日）' }),
    materials: Type.Array(
      Type.Object({ name: Type.String(), required: Type.Boolean({ description: '是否必须提交' }) }),
      { description: '送审材料' },
    ),
    collectiveDiscussion: Type.Optional(
      Type.Literal(true, { description: '情节复杂或者重大违法行为：负责人集体讨论决定（行政处罚法第五十七条第二款）' }),
    ),
  },
  { description: '目录清单事项' },
);

export const DepartmentCatalogueSchema = Type.Object(
  {
    departmentId: Uuid,
    departmentName: Type.String(),
    processKey: Type.String(),
    version: Type.Integer({ description: '法制审核流程的版本' }),
    deployedAt: IsoDateTime,
    items: Type.Array(CatalogueItemSchema),
  },
  { description: '执法机关的重大执法决定法制审核目录清单' },
);

export const CatalogueEvaluationSchema = Type.Object(
  {
    mandatory: Type.Boolean({ description: '是否必须经法制审核（命中目录清单）' }),
    matched: Type.Union([CatalogueItemSchema, Type.Null()], {
      description: '据以审核的事项：命中事项中审核时限最长者',
    }),
    matches: Type.Array(CatalogueItemSchema, { description: '命中的全部事项（按目录顺序）' }),
    reason: Type.String(),
    version: Type.Integer({ description: '所依据的法制审核流程版本' }),
  },
  { description: '目录清单判定结果' },
);

export const CatalogueWarningSchema = Type.Object(
  {
    code: Type.Literal('BASIS_UNRESOLVED'),
    elementId: Type.Union([Type.String(), Type.Null()]),
    elementType: Type.Union([Type.String(), Type.Null()]),
    itemCode: Type.String({ description: '目录清单事项编号' }),
    message: Type.String(),
  },
  { description: '部署时的提醒（不影响部署）：目录清单事项的法律依据未能在法律法规库中核对' },
);
