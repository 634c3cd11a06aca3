import { Type } from 'typebox';
import { CatalogueWarningSchema } from '../catalogue/schemas.js';
import { IsoDateTime, Uuid } from '../http/schemas.js';
import type { RequestView } from './queries.js';

const ItemRef = {
  code: Type.String({ description: '事项编号' }),
  name: Type.String({ description: '事项名称' }),
  categoryLabel: Type.String({ description: '类别名称' }),
};

export const CatalogueDiffSchema = Type.Object(
  {
    added: Type.Array(Type.Object(ItemRef), { description: '新增的事项' }),
    removed: Type.Array(Type.Object(ItemRef), { description: '删除的事项' }),
    changed: Type.Array(
      Type.Object({
        ...ItemRef,
        fields: Type.Array(
          Type.Object({
            field: Type.String({ description: '字段代码，如 name、category、amountThreshold、basis' }),
            label: Type.String({ description: '字段名称，如 事项名称、金额门槛、法律依据' }),
            before: Type.String({ description: '变更前' }),
            after: Type.String({ description: '变更后' }),
          }),
        ),
      }),
      { description: '修改的事项及其变化的字段' },
    ),
  },
  { description: '目录清单逐项差异（按事项编号对应）' },
);

const FlowElement = {
  id: Type.String(),
  type: Type.String({ description: 'BPMN 元素类型' }),
  name: Type.Union([Type.String(), Type.Null()]),
};

export const FlowDiffSchema = Type.Object(
  {
    added: Type.Array(Type.Object(FlowElement)),
    removed: Type.Array(Type.Object(FlowElement)),
    changed: Type.Array(Type.Object({ ...FlowElement, attributes: Type.Array(Type.String()) })),
  },
  { description: '流程元素差异（新增、删除、修改）' },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DeploymentRequestSchema = Type.Object(
  {
    id: Uuid,
    departmentId: Uuid,
    departmentCode: Type.String(),
    departmentName: Type.String(),
    processKey: Type.String(),
    name: Type.String({ description: '流程名称' }),
    baseVersion: Type.Union([Type.Integer(), Type.Null()], { description: '提出申请时的最新版本（差异的比较基准）' }),
    changeNote: Type.String({ description: '变更说明' }),
    status: Type.Union(
      [Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('direct')],
      { description: 'pending 待审批 · approved 已批准并部署 · rejected 已驳回 · direct 运维命令行直接部署' },
    ),
    submittedBy: Nullable(Uuid),
    submittedByName: Nullable(Type.String()),
    submittedAt: IsoDateTime,
    decidedBy: Nullable(Uuid),
    decidedByName: Nullable(Type.String()),
    decidedAt: Nullable(IsoDateTime),
    reason: Nullable(Type.String({ description: '驳回理由' })),
    definitionId: Nullable(Uuid),
    version: Type.Union([Type.Integer(), Type.Null()], { description: '批准后部署的版本' }),
    catalogueDiff: CatalogueDiffSchema,
    flowDiff: FlowDiffSchema,
    warnings: Type.Optional(
      Type.Array(CatalogueWarningSchema, { description: '提出申请时的提醒（法律依据核对），不影响部署' }),
    ),
  },
  { description: '流程与目录清单部署申请' },
);

export const ProposeBody = Type.Object({
  xml: Type.String({ minLength: 1, description: 'BPMN 2.0 XML' }),
  note: Type.String({ maxLength: 500, description: '变更说明' }),
});

export const RejectBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, description: '驳回理由' }),
});

export const Unchanged = Type.Object(
  { unchanged: Type.Literal(true), processKey: Type.String(), version: Type.Integer() },
  { description: '与最新版本相同，未提出申请' },
);

export function requestJson(r: RequestView) {
  return {
    id: r.id,
    departmentId: r.department_id,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    processKey: r.process_key,
    name: r.name,
    baseVersion: r.base_version,
    changeNote: r.change_note,
    status: r.status,
    submittedBy: r.submitted_by,
    submittedByName: r.submitted_by_name,
    submittedAt: r.submitted_at.toISOString(),
    decidedBy: r.decided_by,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at?.toISOString() ?? null,
    reason: r.reason,
    definitionId: r.definition_id,
    version: r.version,
    catalogueDiff: r.catalogue_diff,
    flowDiff: r.flow_diff,
  };
}
