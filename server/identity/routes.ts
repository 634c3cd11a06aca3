import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, IsoDateTime, RoleSchema, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf, SESSION_COOKIE } from './access.js';
import { hashPassword } from './passwords.js';
import * as q from './queries.js';
import { createDepartment, createUser, hasRole, login, logout, setEnforcementSystem } from './service.js';
import { assignUserUnit } from './units.js';

const Department = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('agency'), Type.Literal('justice_bureau')]),
  enforcementStaffCount: Type.Integer(),
  documentAbbr: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '机关代字' })),
  enforcementSystem: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: '执法系统，如 市场监管系统；人才库默认只在本系统内调用' }),
  ),
});

const EnforcementSystem = Type.Union([Type.String({ maxLength: 50 }), Type.Null()], {
  description: '执法系统，如 市场监管系统；null 或空串清除',
});

const LegalQualification = Type.Union(
  [
    Type.Null(),
    Type.Object({
      number: Type.String({ minLength: 1, maxLength: 64, description: '法律职业资格证书编号' }),
      date: Type.String({ format: 'date', description: '取得日期' }),
    }),
  ],
  { description: '法律职业资格（行政处罚法第五十八条第二款）；null 表示未取得' },
);

const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  departmentId: Uuid,
  departmentCode: Type.String(),
  departmentName: Type.String(),
  roles: Type.Array(RoleSchema),
  certificate: Type.Union([
    Type.Null(),
    Type.Object({
      number: Type.String(),
      domain: Type.Union([Type.String(), Type.Null()]),
      validFrom: Type.Union([Type.String(), Type.Null()]),
      validUntil: Type.Union([Type.String(), Type.Null()]),
    }),
  ]),
  reviewerKind: Type.Union([Type.String(), Type.Null()]),
  position: Type.Union([Type.String(), Type.Null()], { description: '职务（如 局长、副局长），签署文书时使用' }),
  unitId: Type.Union([Uuid, Type.Null()], { description: '所属内设机构' }),
  unitName: Type.Union([Type.String(), Type.Null()], { description: '所属内设机构名称' }),
  legalQualification: LegalQualification,
  firstTimeReviewer: Type.Boolean({ description: '初次从事法制审核（须取得法律职业资格方可被指派审核）' }),
  active: Type.Boolean(),
});

const DateOnly = Type.String({ format: 'date' });

type UserRecord = NonNullable<Awaited<ReturnType<typeof q.findUserById>>>;
const dateText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : (d as string | null));

function toUser(u: UserRecord) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    departmentId: u.department_id,
    departmentCode: u.department_code,
    departmentName: u.department_name,
    roles: u.roles,
    certificate: u.certificate_number
      ? {
          number: u.certificate_number,
          domain: u.certificate_domain,
          validFrom: dateText(u.certificate_valid_from),
          validUntil: dateText(u.certificate_valid_until),
        }
      : null,
    reviewerKind: u.reviewer_kind,
    position: u.position,
    unitId: u.unit_id,
    unitName: u.unit_name,
    legalQualification: u.legal_qualification_number
      ? { number: u.legal_qualification_number, date: u.legal_qualification_date ?? '' }
      : null,
    firstTimeReviewer: u.first_time_reviewer,
    active: u.active,
  };
}

export const identityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({
    db: app.db,
    sessionTtlMinutes: app.config.SESSION_TTL_MINUTES,
    maxFailures: app.config.LOGIN_MAX_FAILURES,
    lockSeconds: app.config.LOGIN_LOCK_SECONDS,
  });

  app.post(
    '/api/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['身份'],
        summary: '登录',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 200: Type.Object({ token: Type.String(), expiresAt: IsoDateTime }), ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = await login(deps(), request.body.username, request.body.password, request.ip);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.COOKIE_SECURE,
        path: '/',
        expires: expiresAt,
      });
      return { token, expiresAt: expiresAt.toISOString() };
    },
  );

  app.delete(
    '/api/session',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['身份'], summary: '退出登录', response: { 204: Type.Null(), ...errors(401) } },
    },
    async (request, reply) => {
      await logout(app.db, actorOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['身份'], summary: '当前用户', response: { 200: User, ...errors(401) } },
    },
    async (request) => {
      const user = await q.findUserById(app.db, actorOf(request).id);
      if (!user) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
      return toUser(user);
    },
  );

  app.get(
    '/api/departments',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['身份'], summary: '执法机关列表', response: { 200: Type.Array(Department), ...errors(401) } },
    },
    async () =>
      (await q.listDepartments(app.db)).map((d) => ({
        id: d.id,
        code: d.code,
        name: d.name,
        kind: d.kind,
        enforcementStaffCount: d.enforcement_staff_count,
        enforcementSystem: d.enforcement_system,
      })),
  );

  app.post(
    '/api/departments',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['身份'],
        summary: '新增执法机关',
        body: Type.Object({
          code: Type.String({ pattern: '^[A-Za-z0-9_-]{2,32}$' }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          kind: Type.Union([Type.Literal('agency'), Type.Literal('justice_bureau')], { default: 'agency' }),
          enforcementStaffCount: Type.Integer({ minimum: 0, default: 0 }),
          documentAbbr: Type.Optional(
            Type.Union([Type.String({ minLength: 1, maxLength: 20, pattern: '^[^\\s〔〕\\[\\]]+$' }), Type.Null()], {
              description: '机关代字（文号如 市监法审〔2026〕12号 中的“市监”）；不填时用机关代码',
            }),
          ),
          enforcementSystem: Type.Optional(EnforcementSystem),
        }),
        response: { 201: Department, ...stdErrors, ...errors(409) },
      },
    },
    async (request, reply) => {
      const d = await createDepartment(app.db, request.body);
      return reply.status(201).send({
        id: d.id,
        code: d.code,
        name: d.name,
        kind: d.kind,
        enforcementStaffCount: d.enforcement_staff_count,
        documentAbbr: d.document_abbr,
        enforcementSystem: d.enforcement_system,
      });
    },
  );

  app.put(
    '/api/departments/:id/enforcement-system',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags: ['身份'],
        summary: '设定执法机关所属执法系统（人才库默认只在本系统内调用）',
        params: IdParams,
        body: Type.Object({ enforcementSystem: EnforcementSystem }),
        response: { 204: Type.Null(), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      await setEnforcementSystem(app.db, request.params.id, request.body.enforcementSystem);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/users',
    {
      config: { access: ['admin', 'legal_admin', 'supervisor'] },
      schema: {
        tags: ['身份'],
        summary: '用户列表（法制机构管理员仅见本机关）',
        querystring: Type.Object({ departmentId: Type.Optional(Uuid), role: Type.Optional(RoleSchema) }),
        response: { 200: Type.Array(User), ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const departmentId = hasRole(actor, 'admin', 'supervisor') ? request.query.departmentId : actor.departmentId;
      return (await q.listUsers(app.db, { departmentId, role: request.query.role })).map(toUser);
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['身份'],
        summary: '新增用户',
        body: Type.Object({
          departmentId: Uuid,
          username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{2,64}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 10, maxLength: 256 }),
          roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
          certificate: Type.Optional(
            Type.Object({
              number: Type.String({ minLength: 1 }),
              domain: Type.String({ minLength: 1 }),
              validFrom: DateOnly,
              validUntil: DateOnly,
            }),
          ),
          reviewerKind: Type.Optional(
            Type.Union([Type.Literal('staff'), Type.Literal('legal_adviser'), Type.Literal('public_lawyer')]),
          ),
          position: Type.Optional(Type.String({ maxLength: 32, description: '职务，如 局长、副局长、法规科科长' })),
          unitId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: '所属内设机构（本机关的）' })),
          legalQualification: Type.Optional(LegalQualification),
          firstTimeReviewer: Type.Optional(Type.Boolean({ description: '初次从事法制审核' })),
        }),
        response: { 201: User, ...stdErrors, ...errors(409) },
      },
    },
    async (request, reply) => {
      const id = await createUser(app.db, request.body);
      return reply.status(201).send(toUser((await q.findUserById(app.db, id))!));
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['身份'],
        summary: '修改用户角色、职务、所属内设机构、法律职业资格、状态或重置密码',
        params: IdParams,
        body: Type.Object(
          {
            roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })),
            active: Type.Optional(Type.Boolean()),
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            position: Type.Optional(
              Type.Union([Type.String({ maxLength: 32 }), Type.Null()], { description: '职务；null 或空串清除' }),
            ),
            password: Type.Optional(Type.String({ minLength: 10, maxLength: 256 })),
            unitId: Type.Optional(
              Type.Union([Uuid, Type.Null()], { description: '所属内设机构（本机关的）；null 清除' }),
            ),
            legalQualification: Type.Optional(LegalQualification),
            firstTimeReviewer: Type.Optional(Type.Boolean({ description: '初次从事法制审核' })),
          },
          { minProperties: 1 },
        ),
        response: { 200: User, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const b = request.body;
      if (b.unitId !== undefined) await assignUserUnit(app.db, request.params.id, b.unitId);
      const values = {
        ...(b.roles && { roles: b.roles }),
        ...(b.active !== undefined && { active: b.active }),
        ...(b.displayName && { display_name: b.displayName }),
        ...(b.position !== undefined && { position: b.position?.trim() || null }),
        ...(b.password && { password_hash: await hashPassword(b.password) }),
        ...(b.legalQualification !== undefined && {
          legal_qualification_number: b.legalQualification?.number.trim() || null,
          legal_qualification_date: b.legalQualification?.number.trim() ? b.legalQualification.date : null,
        }),
        ...(b.firstTimeReviewer !== undefined && { first_time_reviewer: b.firstTimeReviewer }),
      };
      if (Object.keys(values).length > 0) {
        const res = await q.updateUser(app.db, request.params.id, values);
        if (res.numUpdatedRows === 0n) throw new AppError(404, 'NOT_FOUND', '用户不存在');
      }
      return toUser((await q.findUserById(app.db, request.params.id))!);
    },
  );
};
