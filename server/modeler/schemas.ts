import { Type } from 'typebox';
import { CatalogueWarningSchema } from '../catalogue/schemas.js';
import { CaseFactsSchema } from '../catalogue/vocabulary.js';
import { IsoDateTime, Uuid } from '../http/schemas.js';

export const DepartmentQuery = Type.Optional(
  Type.String({
    pattern: '^[A-Za-z0-9_-]{2,32}$',
    description: '执法机关代码（仅监督机构和系统管理员可查看其他机关）',
  }),
);
export const KeyParams = Type.Object({ key: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,99}$' }) });
const Xml = Type.String({ minLength: 1, description: 'BPMN 2.0 XML' });

export const WorkspaceSchema = Type.Object({
  department: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  canEdit: Type.Boolean({ description: '当前用户能否编辑、部署本机关流程（仅本机关法制机构管理员）' }),
  services: Type.Array(Type.String(), { description: '服务任务可调用的服务名' }),
  workflows: Type.Array(
    Type.Object({
      processKey: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      latest: Type.Union([
        Type.Null(),
        Type.Object({ version: Type.Integer(), deployedAt: IsoDateTime, versionCount: Type.Integer() }),
      ]),
      draft: Type.Union([
        Type.Null(),
        Type.Object({
          revision: Type.Integer(),
          baseVersion: Type.Union([Type.Integer(), Type.Null()]),
          savedAt: IsoDateTime,
          savedByName: Type.String(),
        }),
      ]),
    }),
  ),
});

export const DraftSchema = Type.Object({
  processKey: Type.String(),
  xml: Xml,
  baseVersion: Type.Union([Type.Integer(), Type.Null()], { description: '草稿所基于的已部署版本' }),
  revision: Type.Integer({ description: '草稿稿次，保存时须带上' }),
  savedAt: IsoDateTime,
  savedByName: Type.String(),
});

export const SaveDraftBody = Type.Object({
  xml: Xml,
  baseVersion: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  expectedRevision: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: '打开时的稿次；新建草稿为 null。与服务器不一致时返回 409',
  }),
});
export const SavedDraftSchema = Type.Object({ revision: Type.Integer(), savedAt: IsoDateTime });

export const CheckBody = Type.Object({ xml: Xml });
export const CheckResultSchema = Type.Object({
  ok: Type.Boolean({ description: '能否部署' }),
  processKey: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  problems: Type.Optional(
    Type.Array(
      Type.Object({
        code: Type.String(),
        elementId: Type.Union([Type.String(), Type.Null()]),
        elementType: Type.Union([Type.String(), Type.Null()]),
        message: Type.String(),
      }),
    ),
  ),
  warnings: Type.Optional(
    Type.Array(CatalogueWarningSchema, { description: '提醒（不影响部署）：目录清单事项的法律依据核对结果' }),
  ),
});

const Changed = Type.Object({ id: Type.String(), type: Type.String(), name: Type.Union([Type.String(), Type.Null()]) });
export const DiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  added: Type.Array(Changed),
  removed: Type.Array(Changed),
  changed: Type.Array(Type.Object({ ...Changed.properties, attributes: Type.Array(Type.String()) })),
  layoutChanged: Type.Array(Changed),
});

export const TryBody = Type.Object({
  condition: Type.String({ maxLength: 2000, description: '目录清单事项的适用条件（FEEL）' }),
  facts: CaseFactsSchema,
});
export const TrialSchema = Type.Object({
  problem: Type.Union([Type.String(), Type.Null()], { description: '部署时会被拒绝的原因' }),
  result: Type.Unknown({ description: '条件的求值结果' }),
  applies: Type.Boolean({ description: '该事项是否适用（条件结果恰为 true）' }),
});
