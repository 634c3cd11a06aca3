import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';
import { ENTITY_NAMES } from './elements.js';

export const FeedQuery = Type.Object(
  {
    cursor: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,18}$', description: '上次应答中的 cursor；不填则从头读起（全量）' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
  },
  { additionalProperties: false },
);

export const Item = Type.Object({
  seq: Type.Optional(Type.String()),
  entity: Type.String(),
  id: Type.String(),
  op: Type.Union([Type.Literal('upsert'), Type.Literal('delete')]),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const FeedPage = Type.Object({
  items: Type.Array(Item),
  cursor: Type.String({ description: '下次请求带上的游标' }),
  hasMore: Type.Boolean(),
});

export const FullQuery = Type.Object(
  {
    entity: Type.Union(
      ENTITY_NAMES.map((e) => Type.Literal(e)),
      { description: '数据元类别' },
    ),
    after: Type.Optional(Type.String({ format: 'uuid', description: '上一页的 next' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
  },
  { additionalProperties: false },
);

export const FullPage = Type.Object({
  items: Type.Array(Item),
  next: Type.Union([Type.String(), Type.Null()]),
  feedCursor: Type.String({ description: '全量导出开始时增量订阅所处的位置：保存首页的值，导完后从此处读增量' }),
});

export const ConsumerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: '消费方名称，如 市政务数据共享平台' }),
    personalData: Type.Boolean({
      default: false,
      description: '是否获准使用当事人个人信息（有条件使用）；否则姓名、证件号码、住址等遮蔽',
    }),
  },
  { additionalProperties: false },
);

export const Consumer = Type.Object({
  id: Uuid,
  name: Type.String(),
  personalData: Type.Boolean(),
  createdAt: IsoDateTime,
  revokedAt: Type.Union([IsoDateTime, Type.Null()]),
  token: Type.Optional(Type.String({ description: '令牌，仅在签发时返回一次' })),
});

export const ConsumerList = Type.Object({ consumers: Type.Array(Consumer) });
export const ConsumerParams = Type.Object({ id: Uuid });
