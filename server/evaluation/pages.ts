import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { UUID } from '../infra/ids.js';
import { caseRecord } from '../records/service.js';
import { EVENT_LABELS, UNKNOWN_EVENT_LABEL } from '../workbench/cases/labels.js';
import { STANDARD_CHECKLIST } from './checklist.js';
import * as q from './queries.js';
import {
  answerRectification,
  closeRound,
  createRound,
  type EvaluationContext,
  readForEvaluation,
  roundOr404,
  submitScore,
} from './service.js';
import { roundsFor, roundView } from './view.js';

const VIEW = (name: string) => `../../evaluation/views/${name}.hbs`;
const PAGE_ROLES = ['supervisor', 'admin', 'reviewer', 'legal_admin'] as const;
const many = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined || v === '' ? [] : [String(v)];
/** The ids in the path, or the page's 404 (a malformed id names nothing). */
function ids(params: unknown): { id: string; caseId: string } {
  const p = params as { id: string; caseId?: string };
  if (!UUID.test(p.id) || (p.caseId !== undefined && !UUID.test(p.caseId))) {
    throw new AppError(404, 'NOT_FOUND', '评查活动或案卷不存在');
  }
  return { id: p.id, caseId: p.caseId ?? '' };
}
const messageOf = (err: unknown) => {
  if (err instanceof DomainError) return err.message;
  throw err;
};

/** 案卷评查 pages: rounds and their results, the evaluator's list and scoring form, the agency's answer. */
export const evaluationPages: FastifyPluginAsync = async (app) => {
  const ctx = (): EvaluationContext => ({
    db: app.db,
    calendar: app.calendar,
    clock: app.clock,
    history: app.runtime.history,
  });
  const back = (reply: FastifyReply, path: string, params: Record<string, string>) =>
    reply.redirect(`${path}?${new URLSearchParams(params)}`, 303);

  async function evaluatorsToPick() {
    return app.db
      .selectFrom('users as u')
      .innerJoin('departments as d', 'd.id', 'u.department_id')
      .select(['u.id', 'u.display_name', 'd.name as department_name', 'u.roles'])
      .where('u.active', '=', true)
      .where((eb) =>
        eb.or([eb(eb.val('supervisor'), '=', eb.fn.any('u.roles')), eb(eb.val('reviewer'), '=', eb.fn.any('u.roles'))]),
      )
      .orderBy('d.name')
      .orderBy('u.display_name')
      .execute();
  }

  app.get('/evaluation', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, PAGE_ROLES);
    if (!actor) return reply;
    const query = request.query as { done?: string; error?: string };
    const supervises = actor.roles.includes('supervisor');
    const evaluates = actor.roles.some((r) => r === 'supervisor' || r === 'reviewer');
    return app.renderPage(
      reply,
      VIEW('evaluation-index'),
      {
        title: '案卷评查',
        rounds: await roundsFor(ctx(), actor),
        assignments: evaluates ? await q.assignmentsOf(app.db, actor.id) : [],
        evaluates,
        supervises,
        evaluators: supervises ? await evaluatorsToPick() : [],
        standard: STANDARD_CHECKLIST,
        thisYear: new Date(app.clock.now().getTime() + 8 * 3600_000).getUTCFullYear(),
        done: query.done,
        error: query.error,
      },
      actor,
    );
  });

  app.post('/evaluation', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['supervisor']);
    if (!actor) return reply;
    const b = request.body as Record<string, unknown>;
    try {
      const input = {
        title: String(b.title ?? '').trim(),
        year: Number(b.year),
        perAgency: Number(b.perAgency),
        evaluatorsPerCase: Number(b.evaluatorsPerCase),
        evaluatorIds: many(b.evaluatorIds),
        seed: String(b.seed ?? '').trim() || undefined,
        rectifyWorkingDays: Number(b.rectifyWorkingDays) || undefined,
      };
      if (!input.title) throw new AppError(400, 'VALIDATION_FAILED', '请填写评查活动名称');
      if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2199)
        throw new AppError(400, 'VALIDATION_FAILED', '请填写有效的评查年度');
      if (!Number.isInteger(input.perAgency) || input.perAgency < 1 || input.perAgency > 100)
        throw new AppError(400, 'VALIDATION_FAILED', '每个机关抽取的案卷数应为1至100');
      if (!Number.isInteger(input.evaluatorsPerCase) || input.evaluatorsPerCase < 1 || input.evaluatorsPerCase > 5)
        throw new AppError(400, 'VALIDATION_FAILED', '每卷评查人数应为1至5');
      if (!input.evaluatorIds.length) throw new AppError(400, 'VALIDATION_FAILED', '请选择评查人员');
      const created = await createRound(ctx(), actor, input);
      return back(reply, `/evaluation/${created.id}`, { done: `已抽取${created.drawn}件案卷` });
    } catch (err) {
      return back(reply, '/evaluation', { error: messageOf(err) });
    }
  });

  app.get('/evaluation/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, PAGE_ROLES);
    if (!actor) return reply;
    const { id } = ids(request.params);
    const query = request.query as { done?: string; error?: string };
    const view = await roundView(ctx(), actor, id);
    const mine = view.agencies.find((a) => a.departmentId === actor.departmentId);
    return app.renderPage(
      reply,
      VIEW('evaluation-round'),
      {
        title: view.round.title,
        ...view,
        canClose: actor.roles.includes('supervisor') && view.round.status === 'scoring',
        canAnswer: actor.roles.includes('legal_admin') && view.round.status === 'closed' && Boolean(mine),
        mine,
        done: query.done,
        error: query.error,
      },
      actor,
    );
  });

  app.post(
    '/evaluation/:id/close',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['supervisor']);
      if (!actor) return reply;
      const { id } = ids(request.params);
      try {
        await closeRound(ctx(), id);
        return back(reply, `/evaluation/${id}`, { done: '评查已结束，结果已向被评查机关公布' });
      } catch (err) {
        return back(reply, `/evaluation/${id}`, { error: messageOf(err) });
      }
    },
  );

  app.post(
    '/evaluation/:id/rectification',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['legal_admin']);
      if (!actor) return reply;
      const { id } = ids(request.params);
      const answer = String((request.body as Record<string, unknown>).answer ?? '').trim();
      try {
        if (!answer) throw new AppError(400, 'VALIDATION_FAILED', '请填写整改情况');
        await answerRectification(ctx(), actor, id, answer.slice(0, 5000));
        return back(reply, `/evaluation/${id}`, { done: '整改情况已报送' });
      } catch (err) {
        return back(reply, `/evaluation/${id}`, { error: messageOf(err) });
      }
    },
  );

  async function scoringPage(reply: FastifyReply, actor: Actor, roundId: string, caseId: string, error?: string) {
    const round = await roundOr404(ctx(), roundId);
    await readForEvaluation(ctx(), actor, roundId, caseId);
    const [c, record, mine] = await Promise.all([
      app.db
        .selectFrom('cases as c')
        .innerJoin('departments as d', 'd.id', 'c.department_id')
        .select(['c.case_number', 'c.title', 'c.category', 'c.packet', 'c.decision', 'd.name as department_name'])
        .where('c.id', '=', caseId)
        .executeTakeFirstOrThrow(),
      caseRecord(app.db, caseId),
      q.scoreRow(app.db, roundId, caseId, actor.id),
    ]);
    const taken = new Map((mine?.deductions ?? []).map((d) => [d.standard, d.note]));
    return app.renderPage(
      reply,
      VIEW('evaluation-score'),
      {
        title: `评查：${c.case_number}`,
        round: { id: round.id, title: round.title, open: round.status === 'scoring' },
        caseId,
        c,
        items: round.checklist.items.map((i) => ({
          ...i,
          standards: i.standards.map((s) => ({ ...s, taken: taken.has(s.code), note: taken.get(s.code) ?? '' })),
        })),
        comment: mine?.comment ?? '',
        score: mine?.score === null || mine?.score === undefined ? null : Number(mine.score),
        record: record.map((r) => ({ at: r.at, label: EVENT_LABELS[r.type] ?? UNKNOWN_EVENT_LABEL })),
        error,
      },
      actor,
    );
  }

  app.get('/evaluation/:id/cases/:caseId', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['supervisor', 'reviewer']);
    if (!actor) return reply;
    const { id, caseId } = ids(request.params);
    return scoringPage(reply, actor, id, caseId, (request.query as { error?: string }).error);
  });

  app.post(
    '/evaluation/:id/cases/:caseId',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['supervisor', 'reviewer']);
      if (!actor) return reply;
      const { id, caseId } = ids(request.params);
      const b = request.body as Record<string, unknown>;
      const deductions = many(b.standard).map((standard) => ({
        standard,
        note: String(b[`note_${standard}`] ?? '').trim(),
      }));
      try {
        const { score } = await submitScore(
          ctx(),
          actor,
          { roundId: id, caseId },
          { deductions, comment: String(b.comment ?? '') },
        );
        return back(reply, '/evaluation', { done: `评分已提交：${score}分` });
      } catch (err) {
        reply.status(err instanceof DomainError && 'statusCode' in err ? (err.statusCode as number) : 400);
        return scoringPage(reply, actor, id, caseId, messageOf(err));
      }
    },
  );
};
