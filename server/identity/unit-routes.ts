import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from './access.js';
import { hasRole } from './service.js';
import { createUnit, findUnit, listUnits, updateUnit } from './units.js';

const UnitKind = Type.Union([Type.Literal('handling'), Type.Literal('legal_review'), Type.Literal('other')], {
  description: '机构类别：handling 承办机构 / legal_review 法制审核机构 / other 其他',
});

const Unit = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  name: Type.String(),
  kind: UnitKind,
  kindLabel: Type.String(),
  headUserId: Type.Union([Uuid, Type.Null()]),
  headName: Type.Union([Type.String(), Type.Null()]),
  members: Type.Integer(),
});

const UnitName = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '\\S',
  description: '机构名称，如 执法稽查局、法规科',
});
const HeadUserId = Type.Union([Uuid, Type.Null()], { description: '机构负责人（本机关的用户）' });

/** 内设机构: the units of a department, which the admin manages and whose names the documents carry. */
export const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const one = async (departmentId: string, id: string) => {
    const unit = (await listUnits(app.db, departmentId)).find((u) => u.id === id);
    if (!unit) throw new AppError(404, 'NOT_FOUND', '内设机构不存在');
    return toUnit(unit);
  };

  app.get(
    '/api/departments/:id/units',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['身份'],
        summary: '机关的内设机构（承办机构、法制审核机构等）',
        params: IdParams,
        response: { 200: Type.Array(Unit), ...errors(401, 403) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!hasRole(actor, 'admin', 'supervisor') && actor.departmentId !== request.params.id) {
        throw new AppError(403, 'FORBIDDEN', '只能查看本机关的内设机构');
      }
      return (await listUnits(app.db, request.params.id)).map(toUnit);
    },
  );

  app.post(
    '/api/departments/:id/units',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['身份'],
        summary: '新增内设机构',
        params: IdParams,
        body: Type.Object({ name: UnitName, kind: UnitKind, headUserId: Type.Optional(HeadUserId) }),
        response: { 201: Unit, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const unit = await createUnit(app.db, request.params.id, request.body);
      return reply.status(201).send(await one(unit.department_id, unit.id));
    },
  );

  app.patch(
    '/api/units/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['身份'],
        summary: '修改内设机构的名称、类别或负责人',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(UnitName), kind: Type.Optional(UnitKind), headUserId: Type.Optional(HeadUserId) },
          { minProperties: 1 },
        ),
        response: { 200: Unit, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const unit = await updateUnit(app.db, request.params.id, request.body);
      return one(unit.department_id, unit.id);
    },
  );

  app.get(
    '/api/units/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['身份'],
        summary: '一个内设机构',
        params: IdParams,
        response: { 200: Unit, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const unit = await findUnit(app.db, request.params.id);
      if (!unit || (!hasRole(actor, 'admin', 'supervisor') && unit.department_id !== actor.departmentId)) {
        throw new AppError(404, 'NOT_FOUND', '内设机构不存在');
      }
      return one(unit.department_id, unit.id);
    },
  );
};

function toUnit(u: Awaited<ReturnType<typeof listUnits>>[number]) {
  return {
    id: u.id,
    departmentId: u.department_id,
    name: u.name,
    kind: u.kind,
    kindLabel: u.kindLabel,
    headUserId: u.head_user_id,
    headName: u.head_name,
    members: u.members,
  };
}
