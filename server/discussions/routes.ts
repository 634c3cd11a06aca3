import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParams, IsoDateTime, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { addComment, adoptSummary, closeDiscussion, type DiscussionContext, openDiscussion } from './service.js';
import { discussionDetail, listDiscussions, myMentions } from './view.js';

const TAGS = ['疑难案例网上探讨'];
const ACCESS = ['reviewer', 'legal_admin'] as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union([Type.Literal('open'), Type.Literal('closed')], {
  description: 'open 探讨中 · closed 已结束',
});

const Text = (max: number, title: string) => Type.String({ minLength: 1, maxLength: max, title, description: title });

const MaskedParty = Type.Object({
  type: Type.String(),
  name: Type.String(),
  idCode: Type.String(),
  address: Type.String(),
});
const MaskedPacket = Type.Object(
  {
    caseNumber: Type.String(),
    title: Type.String(),
    category: Type.String(),
    party: MaskedParty,
    factsFound: Type.String(),
    evidence: Type.Array(Type.Object({ name: Type.String(), description: Type.Optional(Type.String()) })),
    legalBasis: Type.Array(Type.Object({ law: Type.String(), article: Type.String() })),
    conductDate: Type.Optional(Type.String()),
    discretion: Type.Object({ benchmark: Type.String(), position: Type.String() }),
    proposedDecision: Type.String(),
    hearingHeld: Type.Boolean(),
    materials: Type.Array(Type.String()),
  },
  { description: '发起探讨时冻结的送审材料脱敏副本（当事人姓名或名称、证件号码、地址已脱敏，不含承办人员）' },
);

const Summary = Type.Object({
  id: Uuid,
  caseId: Uuid,
  caseNumber: Type.String(),
  title: Type.String(),
  departmentName: Type.String(),
  question: Type.String(),
  status: Status,
  openedByName: Type.String(),
  comments: Type.Integer(),
  createdAt: IsoDateTime,
  closedAt: Nullable(IsoDateTime),
  adopted: Type.Boolean(),
});

const Comment = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  authorId: Uuid,
  authorName: Type.String(),
  departmentName: Type.String(),
  body: Type.String(),
  createdAt: IsoDateTime,
  mentions: Type.Array(Type.Object({ userId: Uuid, name: Type.String() })),
});

const Detail = Type.Object({
  id: Uuid,
  caseId: Uuid,
  departmentName: Type.String(),
  question: Type.String(),
  status: Status,
  openedBy: Uuid,
  openedByName: Type.String(),
  createdAt: IsoDateTime,
  packet: MaskedPacket,
  summary: Nullable(Type.String()),
  closedAt: Nullable(IsoDateTime),
  adoptedInto: Nullable(Type.String()),
  adoptedLabel: Nullable(Type.String()),
  adoptedAt: Nullable(IsoDateTime),
  comments: Type.Array(Comment),
  participants: Type.Array(
    Type.Object({ userId: Uuid, username: Type.String(), displayName: Type.String(), departmentName: Type.String() }),
    { description: '可以参与探讨（可被@提到）的人员：本案法制审核机构及可调用的人才库审核人员' },
  ),
  ownCase: Type.Boolean(),
  mayClose: Type.Boolean(),
  mayAdopt: Type.Boolean(),
  adoptionTargets: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** 疑难案例网上探讨: the case's reviewer asks the reviewer pool about a hard case on a masked copy of the packet. */
export const discussionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = (): DiscussionContext => ({
    db: app.db,
    clock: app.clock,
    history: app.runtime.history,
    cases: app.cases,
  });

  app.post(
    '/api/discussions',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '发起疑难案例探讨（本案法制审核人员；送审材料脱敏后冻结，记入案卷）',
        body: Type.Object({ caseId: Uuid, question: Text(2000, '探讨的问题') }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Uuid }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const d = await openDiscussion(ctx(), actorOf(request), request.body.caseId, request.body.question);
      reply.status(201);
      return { id: d.id };
    },
  );

  app.get(
    '/api/discussions',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '我可以参与的疑难案例探讨（本机关案件及可调用的人才库范围内）',
        querystring: Type.Object({ status: Type.Optional(Status), caseId: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ items: Type.Array(Summary) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const items = await listDiscussions(ctx(), actorOf(request), request.query);
      return {
        items: items.map((x) => ({ ...x, createdAt: x.createdAt.toISOString(), closedAt: iso(x.closedAt) })),
      };
    },
  );

  app.get(
    '/api/discussions/mentions',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '提到我的',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                discussionId: Uuid,
                commentId: Uuid,
                question: Type.String(),
                status: Status,
                authorName: Type.String(),
                excerpt: Type.String(),
                createdAt: IsoDateTime,
                read: Type.Boolean(),
              }),
            ),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const items = await myMentions(ctx(), actorOf(request));
      return { items: items.map((x) => ({ ...x, createdAt: x.createdAt.toISOString() })) };
    },
  );

  app.get(
    '/api/discussions/:id',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '一次探讨：问题、脱敏的送审材料和跟帖',
        params: IdParams,
        response: { 200: Detail, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const d = await discussionDetail(ctx(), actorOf(request), request.params.id);
      return {
        ...d,
        createdAt: d.createdAt.toISOString(),
        closedAt: iso(d.closedAt),
        adoptedAt: iso(d.adoptedAt),
        comments: d.comments.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
      };
    },
  );

  app.post(
    '/api/discussions/:id/comments',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '发表意见或回复（正文中的 @用户名 或 mentions 提到的人员会收到提醒）',
        params: IdParams,
        body: Type.Object(
          {
            body: Text(5000, '意见'),
            parentId: Type.Optional(Nullable(Type.String({ format: 'uuid', title: '所回复的意见' }))),
            mentions: Type.Optional(Type.Array(Uuid, { maxItems: 20, title: '提到的人员', description: '提到的人员' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Uuid, mentioned: Type.Array(Uuid) }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const r = await addComment(ctx(), actorOf(request), request.params.id, request.body);
      reply.status(201);
      return r;
    },
  );

  app.post(
    '/api/discussions/:id/close',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '结束探讨并形成总结（总结和意见数记入案卷）',
        params: IdParams,
        body: Type.Object({ summary: Text(5000, '探讨总结') }, { additionalProperties: false }),
        response: {
          200: Type.Object({ summary: Type.String(), closedAt: IsoDateTime }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const r = await closeDiscussion(ctx(), actorOf(request), request.params.id, request.body.summary);
      return { summary: r.summary, closedAt: r.closedAt.toISOString() };
    },
  );

  app.post(
    '/api/discussions/:id/adopt',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '将探讨总结采纳到审核意见（某一审核事项的说明，或审核理由）',
        params: IdParams,
        body: Type.Object(
          {
            into: Type.String({
              minLength: 1,
              title: '采纳位置',
              maxLength: 40,
              description: 'reasons（审核理由）或审核事项的键，如 law',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ into: Type.String(), label: Type.String(), adoptedAt: IsoDateTime }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const r = await adoptSummary(ctx(), actorOf(request), request.params.id, request.body.into);
      return { ...r, adoptedAt: r.adoptedAt.toISOString() };
    },
  );
};
