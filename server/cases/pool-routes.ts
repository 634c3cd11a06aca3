import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { addToPool, removeFromPool, setPoolScope } from './pool.js';
import { poolMembers, poolSettings } from './pool-queries.js';

const PoolMember = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  departmentId: Uuid,
  departmentName: Type.String(),
  reviewerKind: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  addedAt: IsoDateTime,
});

/** The city's shared pool of reviewers (人才库) that any agency's review may borrow, kept by the justice bureau. */
export const poolRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const Settings = Type.Object({
    citywide: Type.Boolean({ description: '是否开启全市调用（关闭时人才库只在本系统内调用）' }),
  });

  app.get(
    '/api/reviewer-pool/settings',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['人才库'],
        summary: '人才库调用范围（默认本系统内；司法行政部门可开启全市调用）',
        response: {
          200: Type.Object({ ...Settings.properties, updatedAt: Type.Union([IsoDateTime, Type.Null()]) }),
          ...errors(401),
        },
      },
    },
    async () => {
      const s = await poolSettings(app.db);
      return { citywide: s?.citywide ?? false, updatedAt: s?.updated_at.toISOString() ?? null };
    },
  );

  app.put(
    '/api/reviewer-pool/settings',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags: ['人才库'],
        summary: '设定人才库调用范围（司法行政部门）',
        body: Settings,
        response: { 204: Type.Null(), ...stdErrors },
      },
    },
    async (request, reply) => {
      await setPoolScope(app.db, request.body.citywide, actorOf(request).id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/reviewer-pool',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['人才库'],
        summary: '全市法制审核人才库',
        response: { 200: Type.Object({ items: Type.Array(PoolMember) }), ...errors(401) },
      },
    },
    async () => {
      const rows = await poolMembers(app.db);
      return {
        items: rows.map((r) => ({
          userId: r.id,
          displayName: r.display_name,
          departmentId: r.department_id,
          departmentName: r.department_name,
          reviewerKind: r.reviewer_kind,
          note: r.note,
          addedAt: r.added_at.toISOString(),
        })),
      };
    },
  );

  app.put(
    '/api/reviewer-pool/:userId',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags: ['人才库'],
        summary: '将法制审核人员加入人才库',
        params: Type.Object({ userId: Uuid }),
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }),
        response: { 204: Type.Null(), ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      // The same rule as the admin page: only an active reviewer can be borrowed by other agencies.
      const added = await addToPool(app.db, request.params.userId, request.body.note ?? null, actorOf(request).id);
      if (!added) throw new AppError(404, 'NOT_FOUND', '该用户不是在职的法制审核人员');
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/reviewer-pool/:userId',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags: ['人才库'],
        summary: '移出人才库',
        params: Type.Object({ userId: Uuid }),
        response: { 204: Type.Null(), ...stdErrors },
      },
    },
    async (request, reply) => {
      await removeFromPool(app.db, request.params.userId);
      return reply.status(204).send(null);
    },
  );
};
