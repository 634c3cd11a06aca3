import { type Element, ENTITIES } from './elements.js';

function property(e: Element): Record<string, unknown> {
  const base: Record<string, unknown> =
    e.type === 'date' || e.type === 'date-time'
      ? { type: 'string', format: e.type }
      : { type: e.type === 'integer' ? 'integer' : e.type };
  if (e.codes) base.enum = [...Object.keys(e.codes), ...(e.nullable ? [null] : [])];
  return {
    ...(e.nullable ? { ...base, type: [base.type as string, 'null'] } : base),
    title: e.name,
    ...(e.description && { description: e.description }),
    ...(e.codes && { 'x-codes': e.codes }),
    ...(e.personal && { 'x-personal-data': true }),
  };
}

/**
 * The data-element schema as JSON Schema (2020-12): one definition per entity with each element's Chinese name
 * (title), value domain (enum with x-codes), and x-personal-data where it is masked for consumers without the
 * entitlement; and the shape of a feed page.
 */
export function exportJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const entity of ENTITIES) {
    defs[entity.entity] = {
      title: entity.title,
      'x-element-class': entity.elementClass,
      type: 'object',
      additionalProperties: false,
      required: entity.elements.map((e) => e.field),
      properties: Object.fromEntries(entity.elements.map((e) => [e.field, property(e)])),
    };
  }
  const item = {
    type: 'object',
    required: ['seq', 'entity', 'id', 'op'],
    properties: {
      seq: { type: 'string', pattern: '^[0-9]+$', description: '变更序号，单调递增' },
      entity: { enum: ENTITIES.map((e) => e.entity) },
      id: { type: 'string' },
      op: { enum: ['upsert', 'delete'], description: 'upsert 新增或修改（data 为当前全貌）；delete 已删除' },
      data: { type: 'object' },
    },
    allOf: ENTITIES.map((e) => ({
      if: { properties: { entity: { const: e.entity }, op: { const: 'upsert' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
      then: { required: ['data'], properties: { data: { $ref: `#/$defs/${e.entity}` } } },
    })),
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:fashen:export:v1',
    title: '法审 执法数据元导出',
    description:
      '按全国行政执法数据标准的地方规范（DB4403/T 164.1—2021 数据元分类、DB44/T 2402—2022、DB11/T 1577—2018）' +
      '描述的导出数据元。标有 x-personal-data 的字段含自然人当事人的个人信息，仅对获授权（有条件使用）的消费方明文提供。',
    type: 'object',
    required: ['items', 'cursor', 'hasMore'],
    properties: {
      items: { type: 'array', items: { $ref: '#/$defs/feedItem' } },
      cursor: { type: 'string', description: '下次请求带上的游标' },
      hasMore: { type: 'boolean' },
    },
    $defs: { ...defs, feedItem: item },
  };
}
