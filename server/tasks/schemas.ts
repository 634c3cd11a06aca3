import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const InstanceStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

export const CommandResultSchema = Type.Object({
  instanceId: Uuid,
  status: InstanceStatusSchema,
  version: Type.Integer(),
  openTasks: Type.Array(Type.Object({ id: Uuid, elementId: Type.String() })),
});

export const FormFieldSchema = Type.Object({
  name: Type.String(),
  label: Type.Optional(Type.String()),
  type: Type.String(),
  required: Type.Optional(Type.Boolean()),
  options: Type.Optional(Type.Array(Type.String())),
});

export const DeadlineStateSchema = Type.Union(
  [
    Type.Literal('none'),
    Type.Literal('normal'),
    Type.Literal('due_soon'),
    Type.Literal('overdue'),
    Type.Literal('paused'),
  ],
  { description: 'none 无期限 · normal 正常 · due_soon 黄色(≤1个工作日) · overdue 红色(已超期) · paused 暂停计时' },
);

export const TaskSchema = Type.Object({
  id: Uuid,
  instanceId: Uuid,
  departmentId: Uuid,
  departmentCode: Type.String(),
  processKey: Type.String(),
  definitionVersion: Type.Integer(),
  businessKey: Nullable(Type.String()),
  elementId: Type.String(),
  name: Type.String(),
  role: Type.String(),
  assigneeId: Nullable(Uuid),
  status: Type.String(),
  dueAt: Nullable(IsoDateTime),
  createdAt: IsoDateTime,
  endedAt: Nullable(IsoDateTime),
  form: Type.Array(Type.Unknown()),
  deadlineState: DeadlineStateSchema,
  remainingWorkingDays: Nullable(Type.Integer()),
  dueProvisional: Type.Boolean({ description: '期限按周一至周五暂算（该年节假日安排尚未载入）' }),
  pausedAt: Nullable(IsoDateTime),
  escalatedTo: Nullable(Type.String()),
  remindedAt: Nullable(IsoDateTime),
});

export const InstanceSummarySchema = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  processKey: Type.String(),
  definitionVersion: Type.Integer(),
  businessKey: Nullable(Type.String()),
  status: InstanceStatusSchema,
  version: Type.Integer(),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), at: Type.String() })),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  endedAt: Nullable(IsoDateTime),
});

export const InstanceDetailSchema = Type.Intersect([
  InstanceSummarySchema,
  Type.Object({
    variables: Type.Record(Type.String(), Type.Unknown()),
    tasks: Type.Array(
      Type.Object({
        id: Uuid,
        elementId: Type.String(),
        name: Type.String(),
        role: Type.String(),
        assigneeId: Nullable(Uuid),
        status: Type.String(),
        dueAt: Nullable(IsoDateTime),
        createdAt: IsoDateTime,
        endedAt: Nullable(IsoDateTime),
      }),
    ),
    timers: Type.Array(
      Type.Object({
        id: Uuid,
        elementId: Type.String(),
        timerType: Type.String(),
        dueAt: IsoDateTime,
        status: Type.String(),
        endedAt: Nullable(IsoDateTime),
      }),
    ),
    history: Type.Array(
      Type.Object({
        id: Type.Integer(),
        type: Type.String(),
        elementId: Nullable(Type.String()),
        actorId: Nullable(Uuid),
        actorName: Nullable(Type.String()),
        payload: Type.Record(Type.String(), Type.Unknown()),
        at: IsoDateTime,
      }),
    ),
  }),
]);

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
