import { Type } from 'typebox';

/** Schema pieces shared by several capabilities' routes. */
export const Uuid = Type.String({ format: 'uuid' });

export { UUID } from '../infra/ids.js';
export const IsoDateTime = Type.String({ format: 'date-time' });
export const RoleSchema = Type.Union([
  Type.Literal('officer'),
  Type.Literal('reviewer'),
  Type.Literal('chief'),
  Type.Literal('legal_admin'),
  Type.Literal('supervisor'),
  Type.Literal('admin'),
]);
export const IdParams = Type.Object({ id: Uuid });

const errorRef = Type.Unsafe<{ error: { code: string; message: string; details?: unknown } }>(Type.Ref('ErrorBody'));

/** Error responses, declared on every route so the OpenAPI document lists them. */
export function errors<const S extends number>(...statuses: S[]): Record<S, typeof errorRef> {
  const out = {} as Record<S, typeof errorRef>;
  for (const s of statuses) out[s] = errorRef;
  return out;
}

export const stdErrors = errors(400, 401, 403);

export const Paging = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
