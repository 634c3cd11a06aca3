import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, IsoDateTime, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { complaintPublicPages } from './public-pages.js';
import {
  answerComplaint,
  complaintCounts,
  complaintForComplainant,
  handles,
  maskedContact,
  receiveComplaint,
  visibleComplaint,
} from './service.js';
import type { ComplaintRow } from './tables.js';

const NUMBER = '^TS\\d{8}-[0-9A-Z]{6}$';
/** Per client address: submissions an hour, look-ups a quarter of an hour. */
export const SUBMIT_LIMIT = { max: 5, timeWindow: '1 hour' };
export const LOOKUP_LIMIT = { max: 20, timeWindow: '15 minutes' };

const NewComplaint = Type.Object({
  departmentId: Uuid,
  about: Type.Union([Type.Literal('act'), Type.Literal('officer')], { description: 'act 执法行为 / officer 执法人员' }),
  officerName: Type.Optional(Type.String({ maxLength: 50 })),
  certificateNumber: Type.Optional(Type.String({ maxLength: 50, description: '执法证号（可不填）' })),
  occurredOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  content: Type.String({ minLength: 10, maxLength: 5000, description: '投诉举报内容' }),
  name: Type.String({ minLength: 1, maxLength: 50, description: '姓名（不公开）' }),
  phone: Type.String({ pattern: '^[0-9 +-]{5,20}$', description: '联系电话（不公开）' }),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
});

const Receipt = Type.Object({
  number: Type.String({ description: '受理编号' }),
  queryCode: Type.String({ description: '查询码（只显示这一次）' }),
  agency: Type.String(),
  dueAt: IsoDateTime,
});

const PublicView = Type.Object({
  number: Type.String(),
  agency: Type.String(),
  status: Type.Union([Type.Literal('received'), Type.Literal('answered')]),
  receivedAt: IsoDateTime,
  dueAt: IsoDateTime,
  answer: Type.Union([Type.String(), Type.Null()]),
  answeredAt: Type.Union([IsoDateTime, Type.Null()]),
});

const Contact = Type.Object({
  name: Type.String(),
  phone: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
});
const Complaint = Type.Object({
  id: Uuid,
  number: Type.String(),
  departmentId: Uuid,
  about: Type.String(),
  officerName: Type.Union([Type.String(), Type.Null()]),
  certificateNumber: Type.Union([Type.String(), Type.Null()]),
  occurredOn: Type.Union([Type.String(), Type.Null()]),
  content: Type.String(),
  contact: Contact,
  contactMasked: Type.Boolean(),
  status: Type.String(),
  dueAt: IsoDateTime,
  overdue: Type.Boolean(),
  answer: Type.Union([Type.String(), Type.Null()]),
  answeredAt: Type.Union([IsoDateTime, Type.Null()]),
  createdAt: IsoDateTime,
});

export function complaintView(c: ComplaintRow, full: boolean, now: Date) {
  return {
    id: c.id,
    number: c.number,
    departmentId: c.department_id,
    about: c.about,
    officerName: c.officer_name,
    certificateNumber: c.certificate_number,
    occurredOn: c.occurred_on,
    content: c.content,
    contact: full ? { name: c.complainant_name, phone: c.phone, email: c.email } : maskedContact(c),
    contactMasked: !full,
    status: c.status,
    dueAt: c.due_at.toISOString(),
    overdue: c.overdue_at !== null || (c.answered_at ?? now) > c.due_at,
    answer: c.answer,
    answeredAt: c.answered_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
  };
}

/** 投诉举报: the public form's API and the agency's and justice bureau's handling. */
export const complaintRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'TOO_MANY_ATTEMPTS', `请求过于频繁，请 ${Math.ceil(context.ttl / 60_000)} 分钟后再试`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });

  await app.register(complaintPublicPages({ submit: SUBMIT_LIMIT, lookup: LOOKUP_LIMIT }));

  app.post(
    '/api/public/complaints',
    {
      config: { access: 'public', rateLimit: SUBMIT_LIMIT },
      schema: {
        tags: ['投诉举报'],
        summary: '提交投诉举报（公开；联系方式不公开；按来源地址限流）',
        body: NewComplaint,
        response: { 201: Receipt, ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      const { row, code, agencyName } = await receiveComplaint(app.complaints, request.body);
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ number: row.number, queryCode: code, agency: agencyName, dueAt: row.due_at.toISOString() });
    },
  );

  app.get(
    '/api/public/complaints/:number',
    {
      config: { access: 'public', rateLimit: LOOKUP_LIMIT },
      schema: {
        tags: ['投诉举报'],
        summary: '按受理编号查询办理情况（须在 x-query-code 头中给出查询码或提交时的联系电话）',
        params: Type.Object({ number: Type.String({ maxLength: 40 }) }),
        headers: Type.Object({ 'x-query-code': Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: PublicView, ...errors(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const number = request.params.number.toUpperCase();
      const check = request.headers['x-query-code'] ?? '';
      const c = new RegExp(NUMBER).test(number) ? await complaintForComplainant(app.db, number, check) : null;
      if (!c) throw new AppError(404, 'NOT_FOUND', '受理编号或查询码不正确');
      reply.header('cache-control', 'no-store');
      return {
        number: c.number,
        agency: c.agency_name,
        status: c.status,
        receivedAt: c.created_at.toISOString(),
        dueAt: c.due_at.toISOString(),
        answer: c.answer,
        answeredAt: c.answered_at?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/api/complaints',
    {
      config: { access: ['legal_admin', 'chief', 'supervisor'] },
      schema: {
        tags: ['投诉举报'],
        summary: '投诉举报列表（执法机关看本机关的，司法行政部门看全部；非办理机关看到的联系方式已脱敏）',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('overdue'), Type.Literal('answered')])),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(Complaint) }), ...stdErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = app.clock.now();
      const { state, limit, offset } = request.query;
      let q = app.db.selectFrom('complaints').selectAll();
      if (!actor.roles.includes('supervisor')) q = q.where('department_id', '=', actor.departmentId);
      if (state === 'answered') q = q.where('status', '=', 'answered');
      if (state === 'open') q = q.where('status', '=', 'received');
      if (state === 'overdue') q = q.where('status', '=', 'received').where('due_at', '<', now);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
      return { items: rows.map((c) => complaintView(c, handles(actor, c), now)) };
    },
  );

  app.get(
    '/api/complaints/counts',
    {
      config: { access: ['legal_admin', 'chief', 'supervisor'] },
      schema: {
        tags: ['投诉举报'],
        summary: '按机关统计一年的投诉举报：收到、已答复、按期答复、超期（北京时间自然年）',
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2199 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                departmentId: Uuid,
                agency: Type.String(),
                received: Type.Integer(),
                answered: Type.Integer(),
                answeredOnTime: Type.Integer(),
                overdue: Type.Integer(),
              }),
            ),
          }),
          ...stdErrors,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const dept = actor.roles.includes('supervisor') ? undefined : actor.departmentId;
      const rows = await complaintCounts(app.db, request.query.year, dept);
      return {
        items: rows.map(({ department_id, name, ...n }) => ({ departmentId: department_id, agency: name, ...n })),
      };
    },
  );

  app.get(
    '/api/complaints/:id',
    {
      config: { access: ['legal_admin', 'chief', 'supervisor'] },
      schema: {
        tags: ['投诉举报'],
        summary: '投诉举报详情',
        params: IdParams,
        response: { 200: Complaint, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await visibleComplaint(app.db, actor, request.params.id);
      return complaintView(c, handles(actor, c), app.clock.now());
    },
  );

  app.post(
    '/api/complaints/:id/answer',
    {
      config: { access: ['legal_admin', 'chief'] },
      schema: {
        tags: ['投诉举报'],
        summary: '答复投诉举报（被投诉机关的法制机构；投诉人凭受理编号和查询码可见）',
        params: IdParams,
        body: Type.Object({ answer: Type.String({ minLength: 2, maxLength: 5000 }) }),
        response: { 200: Complaint, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await answerComplaint(app.complaints, actor, request.params.id, request.body.answer);
      return complaintView(c, true, app.clock.now());
    },
  );
};
