import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParams, IsoDateTime, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { CHALLENGE_KINDS, CHALLENGE_OUTCOMES } from './outcomes.js';
import { type ChallengeContext, challengesOf, recordChallenge } from './service.js';

const TAGS = ['行政复议与行政诉讼'];
const ACCESS = ['legal_admin', 'chief'] as const;
const Kind = Type.Union([Type.Literal('reconsideration'), Type.Literal('litigation')], {
  description: Object.entries(CHALLENGE_KINDS)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; '),
});
const Outcome = Type.Union(
  [
    Type.Literal('upheld'),
    Type.Literal('dismissed'),
    Type.Literal('changed'),
    Type.Literal('revoked'),
    Type.Literal('confirmed_unlawful'),
    Type.Literal('confirmed_void'),
  ],
  {
    description: Object.entries(CHALLENGE_OUTCOMES)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; '),
  },
);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

const ChallengeBody = Type.Object({
  kind: Kind,
  organ: Type.String({ minLength: 1, maxLength: 200 }),
  outcome: Outcome,
  decidedOn: Day,
  documentNumber: Type.String({ minLength: 1, maxLength: 100 }),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const challengeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = (): ChallengeContext => ({
    db: app.db,
    calendar: app.calendar,
    clock: app.clock,
    history: app.runtime.history,
  });

  app.post(
    '/api/cases/:id/challenges',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary:
          '登记行政复议决定或裁判结果；被变更、撤销、确认违法或无效的，已公开的决定须在三个工作日内撤回并公开理由',
        params: IdParams,
        body: ChallengeBody,
        response: {
          201: Type.Object({
            id: Uuid,
            correcting: Type.Boolean(),
            withdrawBy: Type.Union([IsoDateTime, Type.Null()]),
            disclosure: Type.Union([Type.Literal('published'), Type.Literal('unpublished'), Type.Literal('none')]),
          }),
          ...errors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const r = await recordChallenge(ctx(), actorOf(request), request.params.id, request.body);
      reply.status(201);
      return { ...r, withdrawBy: r.withdrawBy?.toISOString() ?? null };
    },
  );

  app.get(
    '/api/cases/:id/challenges',
    {
      config: { access: ACCESS },
      schema: {
        tags: TAGS,
        summary: '执法决定的行政复议、行政诉讼结果',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Uuid,
                kind: Kind,
                organ: Type.String(),
                outcome: Outcome,
                decidedOn: Day,
                documentNumber: Type.String(),
                note: Type.String(),
                recordedBy: Type.String(),
                recordedAt: IsoDateTime,
              }),
            ),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => ({
      items: (await challengesOf(ctx(), actorOf(request), request.params.id)).map((x) => ({
        id: x.id,
        kind: x.kind,
        organ: x.organ,
        outcome: x.outcome,
        decidedOn: x.decided_on,
        documentNumber: x.document_number,
        note: x.note,
        recordedBy: x.recorded_by,
        recordedAt: x.recorded_at.toISOString(),
      })),
    }),
  );
};
