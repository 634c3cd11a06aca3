import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const EventPattern = Type.String({
  pattern: '^(\\*|[a-z][a-zA-Z0-9_.-]{0,99}(\\.\\*)?)$',
  description: '事件类型（全过程记录的记录类型），如 case.submitted；task.* 表示该前缀下全部类型；* 表示全部',
});

export const RegisterBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: '订阅方名称' }),
    url: Type.String({ minLength: 8, maxLength: 2000, description: '回调地址（http 或 https）' }),
    events: Type.Array(EventPattern, { minItems: 1, maxItems: 50, description: '订阅的事件类型' }),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 200, description: '签名密钥；不填则由系统生成并只返回这一次' }),
    ),
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 64, description: '同时投递的案件数（同一案件的事件始终依次投递）' }),
    ),
  },
  { additionalProperties: false },
);

export const Subscriber = Type.Object({
  id: Uuid,
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  concurrency: Type.Integer(),
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  secret: Type.Optional(Type.String({ description: '系统生成的签名密钥，仅在登记时返回一次' })),
});

export const SubscriberList = Type.Object({ subscribers: Type.Array(Subscriber) });

export const PatchBody = Type.Object({ active: Type.Boolean() }, { additionalProperties: false });

export const DeliveryStatusSchema = Type.Union(
  [Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')],
  {
    description: 'pending 待投递或重试中 · delivered 已送达 · dead 多次失败后进入死信',
  },
);

export const DeliveriesQuery = Type.Object(
  {
    status: Type.Optional(DeliveryStatusSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    before: Type.Optional(Type.Integer({ minimum: 1, description: '只列出编号小于此值的投递（翻页）' })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Delivery = Type.Object({
  id: Type.Integer(),
  eventId: Type.String({ description: '幂等编号（案件编号:序号），重试与重放不变' }),
  eventType: Type.String(),
  caseId: Uuid,
  seq: Type.Integer({ description: '该事件在案件记录中的序号' }),
  status: DeliveryStatusSchema,
  waiting: Type.Boolean({ description: '在等待同一案件更早的事件送达' }),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastResponse: Nullable(Type.String({ description: '订阅方应答（截取前 1000 字）' })),
  lastError: Nullable(Type.String()),
  lastAttemptAt: Nullable(IsoDateTime),
  deliveredAt: Nullable(IsoDateTime),
  createdAt: IsoDateTime,
});

export const DeliveryList = Type.Object({ deliveries: Type.Array(Delivery) });

export const Attempt = Type.Object({
  at: IsoDateTime,
  statusCode: Nullable(Type.Integer()),
  response: Nullable(Type.String()),
  error: Nullable(Type.String()),
  durationMs: Type.Integer(),
});

export const AttemptList = Type.Object({ attempts: Type.Array(Attempt) });

export const SubscriberParams = Type.Object({ id: Uuid });
export const DeliveryParams = Type.Object({ id: Uuid, deliveryId: Type.Integer({ minimum: 1 }) });
export const ReplayAnswer = Type.Object({ id: Type.Integer(), status: DeliveryStatusSchema });
